/// Just enough French (and English) morphology for topic terms: plural and feminine forms
/// of a word reduce to one key, so a rule written "neurodivergent" also finds
/// "neurodivergentes", "formateur" finds "formatrices", "générative" finds "génératifs".
///
/// Both the rules and the text go through the same reduction, so the keys only need to be
/// consistent, not real words ("autisme" → "autism", "dyslexie" → "dyslexi"). Words of three
/// letters or fewer are left alone ("dys", "ia", "les").
enum Stemmer {
    /// The key of a folded (lowercase, unaccented) word.
    static func stem(_ word: [UInt8]) -> String {
        var w = word
        reduce(&w)
        return String(decoding: w, as: UTF8.self)
    }

    private static let a = UInt8(ascii: "a"), e = UInt8(ascii: "e"), i = UInt8(ascii: "i")
    private static let l = UInt8(ascii: "l"), n = UInt8(ascii: "n"), r = UInt8(ascii: "r")
    private static let s = UInt8(ascii: "s"), t = UInt8(ascii: "t"), u = UInt8(ascii: "u")
    private static let v = UInt8(ascii: "v"), x = UInt8(ascii: "x"), c = UInt8(ascii: "c")
    private static let f = UInt8(ascii: "f")

    static func reduce(_ w: inout [UInt8]) {
        guard w.count > 3 else { return }
        // Plurals: -eaux → -eau, -aux → -al (principaux → principal), -s / -x.
        if w.hasSuffix(e, a, u, x) {
            w.removeLast()
        } else if w.count > 4, w.hasSuffix(a, u, x) {
            w.removeLast(2)
            w.append(l)
        } else if let last = w.last, last == s || last == x, w[w.count - 2] != s {
            w.removeLast()
        }
        guard w.count > 3 else { return }
        // Feminine forms and their masculine: -euse/-rice → -eur, -ive → -if, -elle → -el,
        // -enne → -en, -ette → -et, -ère → -er.
        if w.hasSuffix(e, u, s, e) {
            w.removeLast(2)
            w.append(r)
        } else if w.count > 5, w.hasSuffix(r, i, c, e) {
            w.removeLast(4)
            w.append(contentsOf: [e, u, r])
        } else if w.hasSuffix(i, v, e) {
            w.removeLast(2)
            w.append(f)
        } else if w.hasSuffix(e, l, l, e) || w.hasSuffix(e, n, n, e) || w.hasSuffix(e, t, t, e) {
            w.removeLast(2)
        } else if w.hasSuffix(e, r, e) {
            w.removeLast()
        }
        // A final mute e: "neurodivergente" and "neurodivergent", "autiste" and "autistes".
        // Once it is gone, a final s is the masculine of an -se word ("neurodivers" and
        // "neurodiverse", "précis" and "précise"), so it goes as well.
        if w.count > 4, w.last == e {
            w.removeLast()
            if w.count > 4, w.last == s, w[w.count - 2] != s {
                w.removeLast()
            }
        }
    }
}

extension Array where Element == UInt8 {
    @inline(__always)
    fileprivate func hasSuffix(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        count >= 3 && self[count - 3] == a && self[count - 2] == b && self[count - 1] == c
    }

    @inline(__always)
    fileprivate func hasSuffix(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Bool {
        count >= 4 && self[count - 4] == a && self[count - 3] == b && self[count - 2] == c
            && self[count - 1] == d
    }
}
