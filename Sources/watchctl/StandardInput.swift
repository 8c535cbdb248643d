import Foundation

/// Reading all of stdin, for the commands that take their input there (`watchctl tag`).
enum StandardInput {
    /// Every byte of stdin, read into one buffer that grows in place (`realloc`), so the input
    /// is neither reallocated at each block nor copied afterwards. A regular file
    /// (`watchctl tag --json < items.jsonl`) sizes the buffer from `fstat`, so one read takes it
    /// whole. It is read, not mapped: a mapped file that another process truncates raises
    /// SIGBUS at the first page past its new end, where a read returns the bytes the file holds
    /// (a file cut short while it is read gives what it still held, as a pipe closed early does).
    static func readAll() -> Data {
        // One byte more than a file's size: the read that finds its end then needs no growing.
        var capacity = regularFileSize().map { $0 + 1 } ?? 1 << 20
        var count = 0
        guard var buffer = malloc(capacity) else { return FileHandle.standardInput.readDataToEndOfFile() }
        while true {
            if count == capacity {
                capacity *= 2
                guard let grown = realloc(buffer, capacity) else {
                    free(buffer)
                    return FileHandle.standardInput.readDataToEndOfFile()
                }
                buffer = grown
            }
            let read = Foundation.read(STDIN_FILENO, buffer + count, capacity - count)
            if read > 0 {
                count += read
            } else if read == 0 {
                return Data(bytesNoCopy: buffer, count: count, deallocator: .free)
            } else if errno != EINTR {
                // A read error: FileHandle reports it as it always has.
                let start = Data(bytes: buffer, count: count)
                free(buffer)
                return start + FileHandle.standardInput.readDataToEndOfFile()
            }
        }
    }

    /// The bytes left to read when stdin is a regular file (its size past the current
    /// offset); nil for a pipe, a terminal or a socket.
    private static func regularFileSize() -> Int? {
        var status = stat()
        guard fstat(STDIN_FILENO, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        return max(Int(status.st_size) - max(Int(lseek(STDIN_FILENO, 0, SEEK_CUR)), 0), 0)
    }
}
