import AdLabCore
import AdLabTensor

/// Sparse feature vectors of (decision, candidate) pairs for a hashed linear model: every categorical id
/// (user, context and ad side), every dense value, and crosses of each ad-side categorical id with each
/// user/context dense column (per-ad weights on the user's features), hashed into `buckets` weights.
struct HashedFeatures {
  let buckets: Int
  let seed: UInt64
  let crosses: Bool

  /// Appends the (index, value) pairs of candidate `a` of decision `i`.
  func features(_ batch: DecisionBatch, decision i: Int, candidate a: Int, into out: inout [(Int, Double)]) {
    out.removeAll(keepingCapacity: true)
    let schema = batch.schema, f = batch.features, k = batch.candidateCount
    let userFields = schema.decisionCategorical.count, adFields = schema.candidateCategorical.count
    let userWidth = schema.decisionDenseWidth, adWidth = schema.candidateDenseWidth
    let row = i * k + a
    out.append((index(0, 0), 1))  // intercept
    for field in 0..<userFields {
      out.append((index(1 &+ UInt64(field), f.decisionCategorical[i * userFields + field]), 1))
    }
    var adIDs: [UInt64] = []
    for field in 0..<adFields {
      let id = f.candidateCategorical[row * adFields + field]
      adIDs.append(id &* 0x9E37_79B9 &+ UInt64(field))
      out.append((index(1000 &+ UInt64(field), id), 1))
    }
    if schema.decisionCategorical.isEmpty && schema.candidateCategorical.isEmpty {
      // Context-free environments: the ad id (the candidate index when the batch has no ids) is the ad.
      let ad = UInt64(batch.adID(decision: i, candidate: a))
      adIDs.append(ad)
      out.append((index(2000, ad), 1))
    }
    for column in 0..<userWidth {
      let value = Double(f.decisionDense[i * userWidth + column])
      out.append((index(3000, UInt64(column)), value))
      if crosses {
        for id in adIDs { out.append((index(4000 &+ UInt64(column), id), value)) }
      }
    }
    for column in 0..<adWidth {
      out.append((index(5000, UInt64(column)), Double(f.candidateDense[row * adWidth + column])))
    }
  }

  /// The bucket of (namespace, id) under the seed (`SeededHash`).
  @inline(__always) func index(_ namespace: UInt64, _ id: UInt64) -> Int {
    SeededHash.bucket(namespace, id, seed: seed, count: buckets)
  }
}
