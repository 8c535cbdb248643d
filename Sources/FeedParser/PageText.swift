import Foundation

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
            var pointer = content
            while pointer.pointee != 0 {
                add(pointer.pointee, next: pointer.successor().pointee)
                pointer = pointer.successor()
            }
        }

        /// Appends a Swift string.
        func append(_ text: String) {
            let bytes = Array(text.utf8)
            for index in bytes.indices {
                add(bytes[index], next: index + 1 < bytes.count ? bytes[index + 1] : 0)
            }
        }

        private var skipNext = false

        private func add(_ byte: UInt8, next: UInt8) {
            if skipNext {
                skipNext = false
                return
            }
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
                pendingSpace = true
            case 0xC2 where next == 0xA0:  // NBSP
                pendingSpace = true
                skipNext = true
            default:
                if pendingSpace, !line.isEmpty { line.append(0x20) }
                pendingSpace = false
                line.append(byte)
            }
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
