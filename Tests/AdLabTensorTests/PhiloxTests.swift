import AdLabTensor
import Testing

struct PhiloxTests {
  /// Random123's published known-answer vectors for philox4x32-10 (tests/kat_vectors): counter, key, output.
  static let knownAnswers: [(SIMD4<UInt32>, SIMD2<UInt32>, SIMD4<UInt32>)] = [
    (SIMD4(0, 0, 0, 0), SIMD2(0, 0), SIMD4(0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8)),
    (
      SIMD4(0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff), SIMD2(0xffff_ffff, 0xffff_ffff),
      SIMD4(0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd)
    ),
    (
      SIMD4(0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), SIMD2(0xa409_3822, 0x299f_31d0),
      SIMD4(0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1)
    ),
  ]

  @Test func matchesRandom123KnownAnswerVectors() {
    for (counter, key, expected) in Self.knownAnswers {
      #expect(Philox4x32.block(counter: counter, key: key) == expected)
    }
  }

  @Test func constantsAreRandom123s() {
    #expect(Philox4x32.multiplier0 == 0xD251_1F53)
    #expect(Philox4x32.multiplier1 == 0xCD9E_8D57)
    #expect(Philox4x32.weyl0 == 0x9E37_79B9)
    #expect(Philox4x32.weyl1 == 0xBB67_AE85)
  }

  @Test func fourLaneBlocksEqualSingleBlocks() {
    var state: UInt64 = 0x0123_4567_89ab_cdef
    func word() -> UInt32 {  // a fixed LCG, only to vary the inputs
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt32(truncatingIfNeeded: state >> 32)
    }
    for _ in 0..<50 {
      let key = SIMD2(word(), word())
      let counters = (0..<4).map { _ in SIMD4(word(), word(), word(), word()) }
      var w0 = SIMD4(counters[0][0], counters[1][0], counters[2][0], counters[3][0])
      var w1 = SIMD4(counters[0][1], counters[1][1], counters[2][1], counters[3][1])
      var w2 = SIMD4(counters[0][2], counters[1][2], counters[2][2], counters[3][2])
      var w3 = SIMD4(counters[0][3], counters[1][3], counters[2][3], counters[3][3])
      Philox4x32.blocks(&w0, &w1, &w2, &w3, key: key)
      for lane in 0..<4 {
        #expect(
          SIMD4(w0[lane], w1[lane], w2[lane], w3[lane]) == Philox4x32.block(counter: counters[lane], key: key)
        )
      }
    }
  }

  @Test func streamServesBlockWordsInOrder() {
    let key = StreamKey(rawValue: 0x299f_31d0_a409_3822)
    #expect(key.philoxKey == SIMD2(0xa409_3822, 0x299f_31d0))
    var stream = RandomStream(key: key)
    for block in 0..<9 as Range<UInt32> {  // crosses two four-block refills
      let expected = Philox4x32.block(counter: SIMD4(block, 0, 0, 0), key: key.philoxKey)
      for word in 0..<4 {
        #expect(stream.nextUInt32() == expected[word])
      }
    }
  }
}
