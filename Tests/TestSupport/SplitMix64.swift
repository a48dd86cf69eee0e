import BounceMatch

/// The library's seeded PRNG, re-exported so property tests that import only TestSupport keep their fixed seeds.
public typealias SplitMix64 = BounceMatch.SplitMix64
