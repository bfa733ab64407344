import DuckDBKit

/// libFuzzer's entry point: each input is one call into a DuckDBKit text entry point, picked by
/// its first byte; the rest is the text (decoded as UTF-8, invalid sequences repaired, NUL bytes
/// kept). A crash, a hang, or a broken property below is a finding; libFuzzer saves the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let text = String(decoding: bytes, as: UTF8.self)
    switch data[0] % 6 {
    case 0: TextEntryChecks.sql(text)
    case 1: TextEntryChecks.script(text)
    case 2: TextEntryChecks.parameter(text)
    case 3: TextEntryChecks.names(text)
    case 4: TextEntryChecks.deepNesting(bytes)
    default: TextEntryChecks.hugeLiteral(bytes)
    }
    return 0
}
