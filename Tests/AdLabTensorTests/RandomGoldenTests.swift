import AdLabTensor
import Testing

/// Golden values, computed once by this implementation (debug and release builds agree bit for bit) and pasted here.
/// They pin the frozen key derivation, the stream's word order, `CounterRandom`'s layout and every bits-to-number
/// mapping: if one of these tests fails, every result of every user would change. Do not update the values unless
/// that is intended and announced.
struct RandomGoldenTests {
  @Test func streamForSeed42Env() {
    let key = StreamKey(seed: 42).child("env")
    #expect(StreamKey(seed: 42).rawValue == 0x873f_6d5f_f9f0_1acf)
    #expect(key.rawValue == 0xd636_f9ba_5a3c_78fa)
    var stream = RandomStream(key: key)
    #expect(stream.next() == 0x3638_3ff0_f97c_8c12)
    #expect(stream.next() == 0x27a1_b94f_f4ec_1dee)
    #expect(stream.next() == 0x6807_dbfb_e324_4000)
    #expect(stream.next() == 0xdf90_53fb_2e40_66a9)
  }

  @Test func distributionsForSeed42Env() {
    var stream = RandomStream(key: StreamKey(seed: 42).child("env"))
    for _ in 0..<4 { _ = stream.next() }
    #expect(stream.uniform() == 0.0030570105365845812)
    #expect(stream.normal() == -0.9974990275789746)
    #expect(stream.gamma(shape: 2.5) == 2.0409088740287964)
    #expect(stream.beta(2, 3) == 0.39739968659008984)
    #expect(stream.int(below: 1000) == 19)
    #expect(stream.normal() == -0.01749289948756287)
    #expect(stream.gamma(shape: 0.3) == 0.00033885183261704366)
    #expect(stream.beta(0.5, 0.5) == 0.485491524372081)
    #expect(stream.exponential() == 2.1235143886102805)
    #expect(stream.categorical([1, 2, 3]) == 1)
    var array = Array(0..<10)
    stream.shuffle(&array)
    #expect(array == [2, 6, 9, 0, 7, 4, 8, 5, 3, 1])
    #expect(stream.sampleWithoutReplacement(4, from: 100) == [73, 17, 39, 32])
  }

  @Test func counterRandomForSeed42Noise() {
    let key = StreamKey(seed: 42).child("noise")
    #expect(CounterRandom.uniform(key: key, 0, 0) == 0.9105527715756354)
    #expect(CounterRandom.uniform(key: key, 7, 3) == 0.5668412966146682)
    #expect(CounterRandom.bits(key: key, 1, 1) == 0x83a9_f094_e464_8d20)
  }
}
