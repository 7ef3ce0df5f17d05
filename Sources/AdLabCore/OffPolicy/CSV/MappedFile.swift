#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file mapped read-only into memory, so a reader walks its bytes without copying them into a `Data` or
/// `String`. Pages are the kernel's page cache: `release(_:)` drops the ones a streaming reader is done with,
/// which keeps resident memory bounded however large the file is.
final class MappedFile: @unchecked Sendable {
  /// The file's bytes (empty for an empty file).
  let bytes: UnsafeRawBufferPointer
  let path: String

  /// Maps `path`; a missing or unreadable file is `LoggedDataError.missingFile` with `hint`.
  init(path: String, hint: String = "check the path") throws(LoggedDataError) {
    self.path = path
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw .missingFile(path: path, hint: hint) }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
      throw .missingFile(path: path, hint: hint)
    }
    let size = Int(status.st_size)
    guard size > 0 else {
      bytes = UnsafeRawBufferPointer(start: nil, count: 0)
      return
    }
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
      throw .other(
        "\(path): cannot map the file into memory (errno \(errno)); is it on a file system that supports mmap?")
    }
    // The readers walk forward through the file: ask the kernel to read ahead.
    _ = madvise(base, size, MADV_SEQUENTIAL)
    bytes = UnsafeRawBufferPointer(start: base, count: size)
  }

  /// Tells the kernel the pages of `range` are no longer needed, so they leave this process's resident set
  /// (they stay in the page cache; touching them again reads them back).
  func release(_ range: Range<Int>) {
    guard let base = bytes.baseAddress, !range.isEmpty else { return }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let start = (range.lowerBound / page) * page, end = min(bytes.count, range.upperBound)
    guard end > start else { return }
    _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
  }

  deinit {
    if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
  }
}
