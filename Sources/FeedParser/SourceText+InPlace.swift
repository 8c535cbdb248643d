import Foundation

/// The in-place rewriting libxml2 gets from the first construct the structured pass does not
/// recognise: references as character references, bad bytes repaired.
extension SourceText {
    /// Rewrites the bytes from `start` to `end` in place: references as character references,
    /// bad bytes repaired, CDATA sections and comments left as they are.
    mutating func inPlace(
        _ b: UnsafeBufferPointer<UInt8>, from start: Int, to n: Int, table: [UInt32]?, validateUTF8: Bool
    ) {
        var i = start
        while i < n {
            // The bytes pending for libxml2 are those in `out` and the run not yet copied: one
            // block of them goes out at a time, so memory stays flat whatever the lines.
            if blockIsFull(i) { copyRun(b, upTo: i); flush() }
            let limit = min(n, i + blockSize)
            // Straight to the next byte that is not ordinary (a control byte, '&', '!' or a byte
            // >= 0x80). A '<' matters only when "<!" opens a CDATA section or a comment, so the
            // loop stops at the '!' and looks back, not at every tag of the document.
            i = ByteScan.skip(b, from: i, to: limit) {
                ByteScan.flagsHigh($0) | ByteScan.flagsLess($0, than: 0x20) | ByteScan.flagsEqual($0, 0x26)
                    | ByteScan.flagsEqual($0, 0x21)
            }
            guard i < n else { break }
            let c = b[i]
            if c >= 0x20 && c != 0x26 && c != 0x3C && c != 0x21 && c < 0x80 {
                i += 1
                continue
            }
            var section: Int?  // the end of the CDATA section or comment starting at i
            if c == 0x21 {
                // '!': "<!" opens a section at the '<' the loop above went past.
                // (The '<' may already be copied, when a block was flushed between the two.)
                if i > 0, b[i - 1] == 0x3C, let end = Self.opaqueSectionEnd(b, at: i - 1) {
                    i -= 1
                    section = end
                } else {
                    i += 1
                    continue
                }
            }
            if c == 0x3C || section != nil {  // '<': skip CDATA sections and comments whole
                if let end = section ?? Self.opaqueSectionEnd(b, at: i) {
                    if table == nil && !validateUTF8 {
                        i = end
                    } else {
                        // Still transcode / repair the bytes inside.
                        copyRun(b, upTo: i)
                        var j = i
                        while j < end {
                            // Valid bytes stay in the run: nothing to copy apart.
                            j = Self.firstToTranscode(b, from: j, to: end, utf8: table == nil)
                            guard j < end else { break }
                            copyRun(b, upTo: j)
                            j = transcode(b, at: j, table: table)
                            run = j
                        }
                        i = end
                    }
                    continue
                }
                i += 1
                continue
            }
            if c == 0x26 {  // '&'
                copyRun(b, upTo: i)
                i = rewriteReference(b, at: i)
                run = i
                continue
            }
            if c < 0x20 {
                if c == 0x09 || c == 0x0A || c == 0x0D {
                    i += 1
                    continue
                }
                copyRun(b, upTo: i)
                out.append(0x20)
                i += 1
                run = i
                continue
            }
            // c >= 0x80
            if table == nil && !validateUTF8 {
                i += 1
                continue
            }
            if table == nil, let length = Self.utf8Length(b, at: i) {
                i += length
                continue
            }
            copyRun(b, upTo: i)
            i = transcode(b, at: i, table: table)
            run = i
        }
    }
}
