/// The one JSON string writer of regwatch (RFC 8259): `"`, `\` and the control characters
/// escaped (`\n`, `\r`, `\t`, else `\u00XX` in lowercase hex), everything else copied as
/// UTF-8. The parse JSON, `tag --json` and the store's list columns all write strings here,
/// straight into bytes: no `JSONEncoder`, no `String` per value.
public enum JSONString {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `value` as a quoted JSON string to `out`.
    public static func write(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            let count = bytes.count
            var run = 0
            var i = 0
            while i < count {
                // Straight to the next byte that needs escaping (few in any text).
                i = ByteScan.skip(bytes, from: i, to: count) {
                    ByteScan.flagsLess($0, than: 0x20) | ByteScan.flagsEqual($0, 0x22) | ByteScan.flagsEqual($0, 0x5C)
                }
                guard i < count else { break }
                let c = bytes[i]
                guard c < 0x20 || c == 0x22 || c == 0x5C else {
                    i += 1
                    continue
                }
                if i > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i])) }
                i += 1
                run = i
                switch c {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default:
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0xF)]])
                }
            }
            if count > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `values` as a JSON array of strings (`["a","b"]`, no spaces) to `out`.
    public static func writeArray(_ values: [String], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            write(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `values` as the text of a JSON array of strings: `["a","b"]`.
    public static func array(_ values: [String]) -> String {
        var out: [UInt8] = []
        writeArray(values, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
