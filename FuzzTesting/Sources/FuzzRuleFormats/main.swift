import BounceMatch

/// libFuzzer entry point: the target body lives in `FuzzTargets` so that saved crashes replay in the tests.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
    if let problem = FuzzTargets.named("rule-formats")!(bytes) {
        fatalError("rule-formats: \(problem)")
    }
    return 0
}
