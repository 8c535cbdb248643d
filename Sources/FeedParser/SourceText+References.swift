import Foundation

/// Character and entity references: what an `&` starts, and how libxml2 is made to read it.
extension SourceText {
    static let lt: [UInt8] = Array("&#60;".utf8), gt: [UInt8] = Array("&#62;".utf8)
    static let amp: [UInt8] = Array("&#38;".utf8), quot: [UInt8] = Array("&#34;".utf8)
    static let apos: [UInt8] = Array("&#39;".utf8)

    /// The character `lt`, `gt`, `amp`, `quot` or `apos` stands for; `nil` for other names.
    static func predefinedCharacter(_ name: UnsafeBufferPointer<UInt8>) -> UInt8? {
        switch name.count {
        case 2 where name[1] == 0x74:  // "t"
            return name[0] == 0x6C ? 0x3C : name[0] == 0x67 ? 0x3E : nil
        case 3 where name[0] == 0x61 && name[1] == 0x6D && name[2] == 0x70: return 0x26
        case 4 where name[0] == 0x71 && name[1] == 0x75 && name[2] == 0x6F && name[3] == 0x74: return 0x22
        case 4 where name[0] == 0x61 && name[1] == 0x70 && name[2] == 0x6F && name[3] == 0x73: return 0x27
        default: return nil
        }
    }

    /// What an `&` starts, as libxml2 would be made to read it.
    enum Reference {
        /// A numeric reference, its code point repaired (`&#146;` is windows-1252's `’`; one
        /// XML forbids is U+FFFD).
        case numeric(UInt32)
        /// One of the five XML entities: the ASCII character.
        case predefined(UInt8)
        /// An HTML named entity.
        case html([UInt32])
        /// A name no table knows: kept as literal text `&name;` (the name is at this range).
        case unknown(Range<Int>)
        /// An `&` that starts no reference: a literal `&`, the bytes after it read as text.
        case stray
    }

    /// Reads the reference at the `&` at `i`; the index after it (after the `&` alone when stray).
    static func reference(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (Reference, next: Int) {
        let n = b.count
        var j = i + 1
        if j < n, b[j] == 0x23 {  // &#
            guard let (value, next) = numericReference(b, at: i, maximumDigits: 8) else { return (.stray, i + 1) }
            return (.numeric(xmlAllowed(value) ? c1Repaired(value) : 0xFFFD), next)
        }
        // &name;
        while j < n, j - i <= 32, isNameByte(b[j]) { j += 1 }
        guard j > i + 1, j < n, b[j] == 0x3B, isNameStart(b[i + 1]) else { return (.stray, i + 1) }
        let name = UnsafeBufferPointer(rebasing: b[(i + 1)..<j])
        // The five XML entities, the bulk of escaped HTML, before any table lookup.
        if let character = predefinedCharacter(name) { return (.predefined(character), j + 1) }
        if let scalars = HTMLEntities.lookup(name) { return (.html(scalars), j + 1) }
        return (.unknown((i + 1)..<j), j + 1)
    }

    /// The code point of the numeric reference `&#…;` or `&#x…;` at the `&` at `i` (at most
    /// `maximumDigits` digits) and the index after its `;`; `nil` when it is not one.
    static func numericReference(_ b: UnsafeBufferPointer<UInt8>, at i: Int, maximumDigits: Int) -> (UInt32, next: Int)?
    {
        let n = b.count
        var j = i + 2
        var hex = false
        if j < n, b[j] | 0x20 == 0x78 { hex = true; j += 1 }  // x or X
        var value: UInt32 = 0
        let digitsStart = j
        while j < n, j - digitsStart < maximumDigits {
            let d = b[j]
            if d >= 0x30 && d <= 0x39 {
                value = value * (hex ? 16 : 10) + UInt32(d - 0x30)
            } else if hex, (d | 0x20) >= 0x61 && (d | 0x20) <= 0x66 {
                value = value * 16 + UInt32((d | 0x20) - 0x61 + 10)
            } else {
                break
            }
            j += 1
        }
        guard j > digitsStart, j < n, b[j] == 0x3B else { return nil }
        return (value, j + 1)
    }

    /// Rewrites the reference at the `&` at `i` as character references; the index after it.
    mutating func rewriteReference(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let (reference, next) = Self.reference(b, at: i)
        switch reference {
        case .numeric(let scalar):
            emitCharacterReference(scalar)
        case .predefined(let character):
            switch character {
            case 0x3C: out.append(contentsOf: Self.lt)
            case 0x3E: out.append(contentsOf: Self.gt)
            case 0x26: out.append(contentsOf: Self.amp)
            case 0x22: out.append(contentsOf: Self.quot)
            default: out.append(contentsOf: Self.apos)
            }
        case .html(let scalars):
            for scalar in scalars { emitCharacterReference(scalar) }
        case .unknown(let name):
            out.append(contentsOf: Self.amp)  // literal "&name;"
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[name]))
            out.append(0x3B)
        case .stray:
            out.append(contentsOf: Self.amp)
        }
        return next
    }

    /// Writes the characters of the reference at the `&` at `i` (as libxml2 reports the
    /// rewritten reference); the index after it.
    mutating func decodeReference(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let (reference, next) = Self.reference(b, at: i)
        switch reference {
        case .numeric(let scalar):
            emit(scalar: scalar)
        case .predefined(let character):
            out.append(character)
        case .html(let scalars):
            for scalar in scalars { emit(scalar: scalar) }
        case .unknown(let name):
            out.append(0x26)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[name]))
            out.append(0x3B)
        case .stray:
            out.append(0x26)
        }
        return next
    }
}
