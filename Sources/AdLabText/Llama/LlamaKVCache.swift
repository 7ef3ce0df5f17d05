/// The keys and values of one sequence's past positions, for every layer, so each new token attends to them
/// without recomputing them.
///
/// Layout: `[layer][position][kvHead · headDimension]` for keys and for values. Capacity is fixed when the cache
/// is made (``LlamaModel/makeCache(capacity:)``); a cache belongs to one sequence and one model.
public final class LlamaKVCache: @unchecked Sendable {
  /// Positions it can hold.
  public let capacity: Int
  /// Positions filled so far (the next token's position).
  public internal(set) var count = 0
  let layers: Int
  let width: Int
  let keys: UnsafeMutablePointer<Float>
  let values: UnsafeMutablePointer<Float>

  init(layers: Int, width: Int, capacity: Int) {
    self.layers = layers
    self.width = width
    self.capacity = capacity
    let total = layers * capacity * width
    keys = .allocate(capacity: total)
    values = .allocate(capacity: total)
    keys.initialize(repeating: 0, count: total)
    values.initialize(repeating: 0, count: total)
  }

  deinit {
    keys.deallocate()
    values.deallocate()
  }

  /// Forgets every position, so the cache can serve a new sequence.
  public func reset() { count = 0 }

  /// The keys of `layer` at `position`.
  @inline(__always)
  func key(layer: Int, position: Int) -> UnsafeMutablePointer<Float> {
    keys + (layer * capacity + position) * width
  }

  /// The values of `layer` at `position`.
  @inline(__always)
  func value(layer: Int, position: Int) -> UnsafeMutablePointer<Float> {
    values + (layer * capacity + position) * width
  }
}
