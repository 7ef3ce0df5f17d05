import Foundation
import PackagePlugin

/// Fixes AdLab's source revision when the binary is built: generates `BuildSourceRevision.swift` in the target it is
/// applied to (AdLabCore) with the git commit of the AdLab package, "-dirty" when tracked files had changes, or
/// "unknown" outside a git checkout. The manifest then records what the binary was built from, wherever it runs.
///
/// A prebuild command, not a build command: a build command re-runs only when its declared inputs change, and
/// "HEAD moved or a tracked file changed" is no fixed list of files (`.git` is a file in a worktree, refs may be
/// packed, any tracked source can make the tree dirty). A prebuild command runs at the start of every build; it
/// costs two git calls (tens of milliseconds) and rewrites the file only when the text changes, so an unchanged
/// revision recompiles nothing.
@main
struct SourceRevisionPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
    let output = context.pluginWorkDirectoryURL.appendingPathComponent("Generated")
    return [
      .prebuildCommand(
        displayName: "Recording the source revision of \(context.package.displayName)",
        executable: URL(fileURLWithPath: "/bin/sh"),
        arguments: ["-c", Self.script, "source-revision", context.package.directoryURL.path, output.path],
        environment: ["GIT_OPTIONAL_LOCKS": "0"],
        outputFilesDirectory: output)
    ]
  }

  /// `$1` the package folder, `$2` the output folder. The package must be the top of its own checkout: a copy of
  /// AdLab unpacked inside another repository is not that repository's revision.
  static let script = #"""
    package="$1"; out="$2"
    mkdir -p "$out" || exit 1
    revision=unknown
    top=$(git -C "$package" rev-parse --show-toplevel 2>/dev/null) && here=$(cd "$package" && pwd -P) \
      && [ "$(cd "$top" && pwd -P)" = "$here" ] && head=$(git -C "$package" rev-parse HEAD 2>/dev/null) \
      && [ -n "$head" ] && revision="$head"
    if [ "$revision" != unknown ] \
      && [ -n "$(git -C "$package" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
      revision="$revision-dirty"
    fi
    text="// Generated at build time by PackagePlugins/SourceRevision; do not edit.
    /// The git commit AdLab was built from (\"-dirty\" with uncommitted changes), or \"unknown\" outside git.
    let buildSourceRevision = \"$revision\""
    file="$out/BuildSourceRevision.swift"
    if [ ! -f "$file" ] || [ "$(cat "$file")" != "$text" ]; then
      printf '%s\n' "$text" > "$file.tmp" && mv "$file.tmp" "$file"
    fi
    """#
}
