import CLibXML2

/// The HTML named character references, for feeds that use them without declaring them.
///
/// HTML 4's 252 entities (and the XML five) come from libxml2's own table (`htmlEntityLookup`);
/// the HTML5 names that real feeds write on top of those are listed here.
enum HTMLEntities {
    /// The code points `name` (without `&` and `;`) stands for, or `nil` when it is not an HTML entity.
    static func lookup(_ name: UnsafeBufferPointer<UInt8>) -> [UInt32]? {
        guard name.count > 0, name.count < 32 else { return nil }
        if let value = html4(name) { return [value] }
        return html5[String(decoding: name, as: UTF8.self)]
    }

    /// The code point of an entity of libxml2's HTML table (`htmlEntityLookup`, same answers).
    ///
    /// libxml2 searches its 253 entries one by one with a string comparison; this asks a
    /// dictionary keyed by the name packed in a word first, built once from libxml2's own
    /// table, and only falls back to libxml2 for what the dictionary cannot answer.
    static func html4(_ name: UnsafeBufferPointer<UInt8>) -> UInt32? {
        if let key = packed(name), let value = html4Values[key] { return value }
        return libxml2Lookup(name)
    }

    /// The code points `name` stands for, from a Swift string.
    static func lookup(_ name: String) -> [UInt32]? {
        var bytes = Array(name.utf8)
        return bytes.withUnsafeMutableBufferPointer { lookup(UnsafeBufferPointer($0)) }
    }

    /// libxml2's own linear search of its table.
    static func libxml2Lookup(_ name: UnsafeBufferPointer<UInt8>) -> UInt32? {
        guard name.count > 0, name.count < 32 else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: name.count + 1) { buffer in
            _ = buffer.initialize(from: name)
            buffer[name.count] = 0
            return htmlEntityLookup(buffer.baseAddress).map { $0.pointee.value }
        }
    }

    /// A name of 1 to 8 bytes without NUL as one word (exact: different names, different words).
    @inline(__always)
    static func packed(_ name: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard name.count > 0, name.count <= 8 else { return nil }
        var key: UInt64 = 0
        for k in 0..<name.count {
            guard name[k] != 0 else { return nil }
            key |= UInt64(name[k]) << UInt64(8 * k)
        }
        return key
    }

    /// The entries of libxml2's table for the code points in `ranges` (`htmlEntityValueLookup`
    /// gives each code point's entry, name included).
    static func libxml2Entries(in ranges: [Range<UInt32>]) -> [(name: [UInt8], value: UInt32)] {
        LibXML2.initialize()
        var entries: [(name: [UInt8], value: UInt32)] = []
        for range in ranges {
            for value in range {
                guard let entry = htmlEntityValueLookup(value), let name = entry.pointee.name else { continue }
                var length = 0
                while name[length] != 0 { length += 1 }
                let bytes = name.withMemoryRebound(to: UInt8.self, capacity: length) {
                    Array(UnsafeBufferPointer(start: $0, count: length))
                }
                entries.append((bytes, entry.pointee.value))
            }
        }
        return entries
    }

    /// The code points of HTML 4's entities: Latin-1, Latin Extended, Greek, then punctuation
    /// to symbols (a test checks that this covers libxml2's whole table).
    static let html4Ranges: [Range<UInt32>] = [0..<0x400, 0x2000..<0x2700]

    /// libxml2's HTML entities by packed name. A name missing here (none is expected) is still
    /// found by `html4`'s fallback to libxml2's search.
    static let html4Values: [UInt64: UInt32] = {
        var values: [UInt64: UInt32] = [:]
        for entry in libxml2Entries(in: html4Ranges) {
            entry.name.withUnsafeBufferPointer { if let key = packed($0) { values[key] = entry.value } }
        }
        return values
    }()

    /// HTML5 names beyond HTML 4 that show up in feeds (typography, punctuation, arrows, marks).
    static let html5: [String: [UInt32]] = [
        "apos": [0x27], "Tab": [0x9], "NewLine": [0xA], "excl": [0x21], "QUOT": [0x22], "num": [0x23],
        "dollar": [0x24], "percnt": [0x25], "AMP": [0x26], "lpar": [0x28], "rpar": [0x29], "ast": [0x2A],
        "plus": [0x2B], "comma": [0x2C], "period": [0x2E], "sol": [0x2F], "colon": [0x3A], "semi": [0x3B],
        "LT": [0x3C], "equals": [0x3D], "GT": [0x3E], "quest": [0x3F], "commat": [0x40], "lsqb": [0x5B],
        "bsol": [0x5C], "rsqb": [0x5D], "Hat": [0x5E], "lowbar": [0x5F], "grave": [0x60], "lcub": [0x7B],
        "verbar": [0x7C], "vert": [0x7C], "rcub": [0x7D], "NonBreakingSpace": [0xA0], "COPY": [0xA9],
        "REG": [0xAE], "half": [0xBD], "centerdot": [0xB7], "dash": [0x2010], "hyphen": [0x2010],
        "nbhy": [0x2011], "horbar": [0x2015], "Vert": [0x2016], "lsquor": [0x201A], "rsquor": [0x2019],
        "ldquor": [0x201E], "rdquor": [0x201D], "bullet": [0x2022], "nldr": [0x2025], "mldr": [0x2026],
        "hellip": [0x2026], "ThinSpace": [0x2009], "thinsp": [0x2009], "hairsp": [0x200A],
        "VeryThinSpace": [0x200A], "ZeroWidthSpace": [0x200B], "NoBreak": [0x2060], "MediumSpace": [0x205F],
        "numsp": [0x2007], "puncsp": [0x2008], "emsp13": [0x2004], "emsp14": [0x2005], "euro": [0x20AC],
        "trade": [0x2122], "TRADE": [0x2122], "incare": [0x2105], "numero": [0x2116], "check": [0x2713],
        "checkmark": [0x2713], "cross": [0x2717], "star": [0x2606], "starf": [0x2605], "bigstar": [0x2605],
        "phone": [0x260E], "female": [0x2640], "male": [0x2642], "sext": [0x2736], "flat": [0x266D],
        "sharp": [0x266F], "rarr": [0x2192], "larr": [0x2190], "rightarrow": [0x2192], "leftarrow": [0x2190],
        "RightArrow": [0x2192], "LeftArrow": [0x2190], "srarr": [0x2192], "slarr": [0x2190],
        "nbsp": [0xA0], "laquo": [0xAB], "raquo": [0xBB], "OElig": [0x152], "oelig": [0x153],
        "ensp": [0x2002], "emsp": [0x2003], "ndash": [0x2013], "mdash": [0x2014], "lsquo": [0x2018],
        "rsquo": [0x2019], "ldquo": [0x201C], "rdquo": [0x201D], "bdquo": [0x201E], "sbquo": [0x201A],
        "tilde": [0x2DC], "circ": [0x2C6], "Yuml": [0x178], "fnof": [0x192], "permil": [0x2030],
        "lsaquo": [0x2039], "rsaquo": [0x203A], "zwnj": [0x200C], "zwj": [0x200D], "lrm": [0x200E],
        "rlm": [0x200F], "dagger": [0x2020], "Dagger": [0x2021], "bull": [0x2022], "prime": [0x2032],
        "Prime": [0x2033], "oline": [0x203E], "frasl": [0x2044],
    ]
}
