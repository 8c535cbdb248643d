import Foundation

/// Reading all of stdin, for the commands that take their input there (`watchctl tag`).
enum StandardInput {
    /// Every byte of stdin, read straight into one array: sized once from the file's length
    /// when stdin is a file (`watchctl tag --json < items.jsonl`), grown as it fills for a
    /// pipe, so that the input is neither reallocated at each block nor copied afterwards.
    static func readAll() -> [UInt8] {
        var status = stat()
        var expected = 1 << 20
        if fstat(STDIN_FILENO, &status) == 0, status.st_mode & S_IFMT == S_IFREG {
            let left = Int(status.st_size) - Int(lseek(STDIN_FILENO, 0, SEEK_CUR))
            expected = max(expected, left + 1)
        }
        var bytes: [UInt8] = []
        var capacity = expected
        while true {
            var failed = false
            let previous = bytes
            bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                initialized = previous.count
                previous.withUnsafeBufferPointer { previous in
                    if let start = previous.baseAddress {
                        buffer.baseAddress!.initialize(from: start, count: previous.count)
                    }
                }
                while initialized < capacity {
                    let count = read(STDIN_FILENO, buffer.baseAddress! + initialized, capacity - initialized)
                    if count > 0 {
                        initialized += count
                    } else if count == 0 {
                        return
                    } else if errno != EINTR {
                        failed = true
                        return
                    }
                }
            }
            // A read error: FileHandle reports it as it always has.
            if failed { return bytes + [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
            if bytes.count < capacity { return bytes }
            capacity *= 2
        }
    }
}
