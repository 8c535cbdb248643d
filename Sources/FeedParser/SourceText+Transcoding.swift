import Foundation

/// Transcoding to UTF-8: UTF-8 validation, single-byte tables, iconv for the other encodings.
extension SourceText {
    /// The index of the first byte from `start` on that must be transcoded (any byte ≥ 0x80 of
    /// a single-byte encoding; in UTF-8, one that begins no valid sequence), or `end`. A valid
    /// sequence that starts before `end` is stepped over whole, even when it ends after it.
    static func firstToTranscode(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, utf8: Bool) -> Int {
        var i = start
        while i < end {
            i = ByteScan.skip(b, from: i, to: end) { ByteScan.flagsHigh($0) }
            guard i < end else { break }
            if b[i] < 0x80 {
                i += 1
                continue
            }
            guard utf8, let length = utf8Length(b, at: i) else { return i }
            i += length
        }
        return max(i, end)
    }

    /// Writes the character at `i` (a byte ≥ 0x80 not valid as UTF-8, or a single-byte
    /// encoding's byte) as UTF-8; returns the next index.
    mutating func transcode(_ b: UnsafeBufferPointer<UInt8>, at i: Int, table: [UInt32]?) -> Int {
        if let table {
            emit(scalar: table[Int(b[i]) - 0x80])
            return i + 1
        }
        if let length = Self.validUTF8Length(b, at: i) {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<(i + length)]))
            return i + length
        }
        emit(scalar: Self.windows1252[Int(b[i]) - 0x80])
        return i + 1
    }

    /// The index just past `]]>` or `-->` when `<` at `i` opens a CDATA section or a comment.
    static func opaqueSectionEnd(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = b.count
        guard i + 3 < n, b[i + 1] == 0x21 else { return nil }  // "<!"
        if b[i + 2] == 0x2D, b[i + 3] == 0x2D {  // "<!--"
            var j = i + 4
            while j + 2 < n {
                if b[j] == 0x2D, b[j + 1] == 0x2D, b[j + 2] == 0x3E { return j + 3 }
                j += 1
            }
            return n
        }
        let cdata = Self.cdataOpening
        guard i + cdata.count <= n else { return nil }
        for k in 0..<cdata.count where b[i + k] != cdata[k] { return nil }
        var j = i + cdata.count
        while j + 2 < n {
            if let base = b.baseAddress, j + 8 <= n, !ByteScan.has(ByteScan.load(base + j), 0x5D) {
                j += 8  // no ']' among these eight: no "]]>" starts here
                continue
            }
            if b[j] == 0x5D, b[j + 1] == 0x5D, b[j + 2] == 0x3E { return j + 3 }
            j += 1
        }
        return n
    }

    static let cdataOpening: [UInt8] = Array("<![CDATA[".utf8)

    /// `validUTF8Length` with its most frequent case inline: a two-byte sequence (é, à, ç and
    /// the rest of Latin-1), without a call per accented letter.
    @inline(__always)
    static func utf8Length(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let c = b[i]
        if c >= 0xC2, c <= 0xDF, i + 1 < b.count, b[i + 1] & 0xC0 == 0x80 { return 2 }
        return validUTF8Length(b, at: i)
    }

    /// The length of the valid UTF-8 sequence at `i` that is also an XML character, else `nil`.
    static func validUTF8Length(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = b.count
        let c = b[i]
        @inline(__always) func cont(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            k < n && b[k] >= low && b[k] <= high
        }
        switch c {
        case 0xC2...0xDF:
            return cont(i + 1) ? 2 : nil
        case 0xE0:
            return cont(i + 1, 0xA0) && cont(i + 2) ? 3 : nil
        case 0xED:
            return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : nil
        case 0xEF:
            // U+FFFE and U+FFFF are not XML characters.
            guard cont(i + 1), cont(i + 2) else { return nil }
            if b[i + 1] == 0xBF, b[i + 2] >= 0xBE { return nil }
            return 3
        case 0xE1...0xEC, 0xEE:
            return cont(i + 1) && cont(i + 2) ? 3 : nil
        case 0xF0:
            return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : nil
        case 0xF1...0xF3:
            return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : nil
        case 0xF4:
            return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : nil
        default:
            return nil
        }
    }

    static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x3A
    }

    static func isNameByte(_ c: UInt8) -> Bool {
        isNameStart(c) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E
    }

    static func xmlAllowed(_ v: UInt32) -> Bool {
        v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD)
            || (v >= 0x10000 && v <= 0x10FFFF)
    }

    /// `&#146;` means the windows-1252 apostrophe in every feed that writes it.
    static func c1Repaired(_ v: UInt32) -> UInt32 {
        v >= 0x80 && v <= 0x9F ? windows1252[Int(v) - 0x80] : v
    }

    /// Bytes 0x80–0xFF of windows-1252 (the five undefined bytes keep their C1 code point).
    static let windows1252: [UInt32] = {
        let c1: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160, 0x2039, 0x152, 0x8D,
            0x17D, 0x8F,
            0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D,
            0x17E, 0x178,
        ]
        return c1 + (0xA0...0xFF).map { UInt32($0) }
    }()

    /// Bytes 0x80–0xFF of ISO-8859-15.
    static let latin9: [UInt32] = {
        var table = (0x80...0xFF).map { UInt32($0) }
        for (byte, scalar) in [
            (0xA4, 0x20AC), (0xA6, 0x160), (0xA8, 0x161), (0xB4, 0x17D), (0xB8, 0x17E),
            (0xBC, 0x152), (0xBD, 0x153), (0xBE, 0x178),
        ] {
            table[byte - 0x80] = UInt32(scalar)
        }
        return table
    }()

    /// `input` converted from the encoding `name` to UTF-8 by iconv; a byte iconv cannot
    /// convert becomes U+FFFD and conversion goes on after it (an incomplete sequence at the
    /// end too). `nil` when iconv does not know `name`.
    static func utf8(from input: UnsafeBufferPointer<UInt8>, iconvName name: String) -> [UInt8]? {
        let opened = iconv_open("UTF-8", name)
        guard let converter = opened, converter != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var result: [UInt8] = []
        result.reserveCapacity(input.count + input.count / 2 + 16)
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        let block = UnsafeMutableBufferPointer<CChar>.allocate(capacity: 64 * 1024)
        defer { block.deallocate() }
        /// Appends what the last call wrote to `block`.
        func take(_ left: Int) {
            result.append(contentsOf: UnsafeRawBufferPointer(start: block.baseAddress, count: block.count - left))
        }
        input.withMemoryRebound(to: CChar.self) { chars in
            var next = UnsafeMutablePointer(mutating: chars.baseAddress)
            var inLeft = chars.count
            while inLeft > 0 {
                var out = block.baseAddress
                var outLeft = block.count
                let status = iconv(converter, &next, &inLeft, &out, &outLeft)
                let failure = status == -1 ? errno : 0
                take(outLeft)
                switch failure {
                case 0, E2BIG:
                    continue
                case EILSEQ:
                    result.append(contentsOf: replacement)
                    next = next.map { $0 + 1 }
                    inLeft -= 1
                default:  // EINVAL: an incomplete sequence ends the input
                    result.append(contentsOf: replacement)
                    inLeft = 0
                }
            }
        }
        var out = block.baseAddress
        var outLeft = block.count
        _ = iconv(converter, nil, nil, &out, &outLeft)  // back to the initial shift state
        take(outLeft)
        return result
    }

    static func utf8(fromUTF16 b: UnsafeBufferPointer<UInt8>, littleEndian: Bool) -> [UInt8] {
        var units: [UInt16] = []
        units.reserveCapacity(b.count / 2)
        var i = 0
        while i + 1 < b.count {
            units.append(littleEndian ? UInt16(b[i]) | UInt16(b[i + 1]) << 8 : UInt16(b[i]) << 8 | UInt16(b[i + 1]))
            i += 2
        }
        // Unpaired surrogates become U+FFFD rather than losing the document.
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}
