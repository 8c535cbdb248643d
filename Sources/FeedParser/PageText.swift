import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Text as a page shows it: whitespace runs collapsed, lines at block boundaries.
enum PageText {
    /// `text` with every run of whitespace (NBSP included) made one space, trimmed.
    static func collapse(_ text: String) -> String {
        let collector = Collector()
        collector.append(text)
        return collector.finish().joined(separator: " ")
    }

    /// Gathers text nodes into lines: whitespace collapsed, a line ended at each block boundary,
    /// empty lines dropped. A class so the tree walk's enter and leave steps share it.
    final class Collector {
        private var lines: [String] = []
        private var line: [UInt8] = []
        private var pendingSpace = false

        /// Appends a NUL-terminated UTF-8 text from the tree.
        func append(_ content: UnsafePointer<UInt8>) {
            let length = strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))
            append(UnsafeBufferPointer(start: content, count: length))
        }

        /// Appends a Swift string.
        func append(_ text: String) {
            var text = text
            text.withUTF8 { append($0) }
        }

        /// Whitespace runs (ASCII whitespace and NBSP) become one space; runs of other bytes are
        /// copied as they are.
        private func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            var line = self.line
            var pendingSpace = self.pendingSpace
            self.line = []  // the buffer is moved out and back: no copy on write
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C {
                    pendingSpace = true
                    index += 1
                } else if byte == 0xC2, index + 1 < count, bytes[index + 1] == 0xA0 {
                    pendingSpace = true
                    index += 2
                } else {
                    if pendingSpace, !line.isEmpty { line.append(0x20) }
                    pendingSpace = false
                    line.append(byte)
                    index += 1
                }
            }
            self.line = line
            self.pendingSpace = pendingSpace
        }

        /// Ends the current line, if it holds anything.
        func breakLine() {
            if !line.isEmpty { lines.append(String(decoding: line, as: UTF8.self)) }
            line.removeAll(keepingCapacity: true)
            pendingSpace = false
        }

        /// The lines gathered, the last one ended.
        func finish() -> [String] {
            breakLine()
            return lines
        }
    }
}
