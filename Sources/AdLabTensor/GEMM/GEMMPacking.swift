extension GEMMDriver {
  /// Packs `op(B)[pc ..< pc+kc, jc ..< jc+nc]` as `⌈nc / NR⌉` slivers of `kc × NR`,
  /// zero-padding the columns past `nc`.
  static func packB(
    _ pr: GEMMProblem<Scalar>, pc: Int, kc: Int, jc: Int, nc: Int,
    into dst: UnsafeMutablePointer<Scalar>
  ) {
    let nr = K.nr
    var jr = 0
    while jr < nc {
      let width = min(nr, nc &- jr)
      let out = dst + jr &* kc
      if !pr.transB {
        var src = pr.b + (pc &* pr.ldb &+ jc &+ jr)
        for p in 0..<kc {
          let o = out + p &* nr
          if width == nr {
            K.copySliverRow(from: src, to: o)
          } else {
            for j in 0..<width { o[j] = src[j] }
            for j in width..<nr { o[j] = 0 }
          }
          src += pr.ldb
        }
      } else {
        for j in 0..<nr {
          if j < width {
            let src = pr.b + ((jc &+ jr &+ j) &* pr.ldb &+ pc)
            for p in 0..<kc { out[p &* nr &+ j] = src[p] }
          } else {
            for p in 0..<kc { out[p &* nr &+ j] = 0 }
          }
        }
      }
      jr &+= nr
    }
  }

  /// Packs `alpha · op(A)[ir ..< ir+mr, pc ..< pc+kc]` as one micro-panel: for each `p`,
  /// `MR` elements each repeated `lanes` times. Rows past `mr` are zero.
  ///
  /// Reads the `MR` rows (or, transposed, `MR` contiguous elements) together and writes
  /// sequentially; the panel is small, so both layouts run at cache speed.
  static func packA(
    _ pr: GEMMProblem<Scalar>, ir: Int, mr: Int, pc: Int, kc: Int,
    into dst: UnsafeMutablePointer<Scalar>
  ) {
    let lanes = K.lanes
    let kStep = K.mr &* lanes
    let alpha = pr.alpha
    // Strides of op(A) in memory along its rows (i) and along k.
    let (iStride, kStride) = pr.transA ? (1, pr.lda) : (pr.lda, 1)
    var src = pr.a + (ir &* iStride &+ pc &* kStride)
    var out = dst
    for _ in 0..<kc {
      for r in 0..<K.mr {
        K.splat(r < mr ? alpha * src[r &* iStride] : 0, to: out + r &* lanes)
      }
      src += kStride
      out += kStep
    }
  }
}
