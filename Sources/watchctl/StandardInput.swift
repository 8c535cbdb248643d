import Foundation

/// Reading all of stdin, for the commands that take their input there (`watchctl tag`).
enum StandardInput {
    /// Every byte of stdin. A file (`watchctl tag --json < items.jsonl`) is mapped rather than
    /// copied: its pages come from the page cache, with no copy into fresh (zeroed) memory.
    /// A pipe is read into one buffer that grows in place (`realloc`), so the input is
    /// neither reallocated at each block nor copied afterwards.
    static func readAll() -> Data {
        if let mapped = mapFile() { return mapped }
        var capacity = 1 << 20
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

    /// The rest of stdin when it is a regular file, mapped read-only; nil for anything else
    /// or when mapping fails (then it is read).
    private static func mapFile() -> Data? {
        var status = stat()
        guard fstat(STDIN_FILENO, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        let offset = lseek(STDIN_FILENO, 0, SEEK_CUR)
        let size = Int(status.st_size)
        guard offset == 0, size > 0 else { return nil }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, STDIN_FILENO, 0),
            mapped != MAP_FAILED
        else { return nil }
        return Data(bytesNoCopy: mapped, count: size, deallocator: .custom { pointer, count in munmap(pointer, count) })
    }
}
