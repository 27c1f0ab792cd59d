/// Cuts a `COPY ... JSON` file into its root-level objects and arrays, fed in chunks of any size
/// (copy-parameters-data-format, "JSON Data File": each row is a stand-alone root-level object or
/// array; objects may span lines; only white space may separate them).
///
/// Each record carries the line where it ends, which is what `stl_load_errors.line_number` reports
/// for JSON. Text between records is an error ("COPY returns an error for each instance"): one
/// error for each run of text up to the next object or array, counted against MAXERROR.
struct JSONRecordScanner {
    enum Item: Equatable {
        /// A complete root-level object or array.
        case record(bytes: [UInt8], line: Int)
        /// Text outside any object or array, or an object left open at the end of the file.
        case invalid(bytes: [UInt8], line: Int, reason: String)
        /// A record over the 4 MB limit: the COPY cannot go on in this file.
        case tooLarge(line: Int)
    }

    /// "The maximum size of a single JSON object or array, including braces or brackets, is 4 MB."
    static let maxRecordSize = 4 << 20

    private var pending: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var inJunk = false
    private var junkLine = 0
    private var line = 1
    private var linesToSkip: Int
    private var stopped = false
    private var ready: [Item] = []
    private var readyIndex = 0

    /// - Parameter ignoreHeader: lines skipped at the start of the file (IGNOREHEADER counts every
    ///   newline, also those inside JSON).
    init(ignoreHeader: Int = 0) {
        self.linesToSkip = max(ignoreHeader, 0)
    }

    /// The next complete item, if one is ready.
    mutating func next() -> Item? {
        guard readyIndex < ready.count else {
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            return nil
        }
        defer { readyIndex += 1 }
        return ready[readyIndex]
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            if stopped { return }
            scan(byte)
        }
    }

    /// The end of the file: an unfinished object or a trailing run of text is an error.
    mutating func finish() {
        if stopped { return }
        if inJunk {
            emitJunk()
        } else if depth > 0 {
            ready.append(.invalid(bytes: pending, line: line, reason: "Invalid JSON: the file ends inside an object or array"))
            pending.removeAll()
            depth = 0
        }
    }

    private mutating func scan(_ byte: UInt8) {
        if linesToSkip > 0 {
            if byte == UInt8(ascii: "\n") { linesToSkip -= 1; line += 1 }
            return
        }
        if depth == 0 {
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if inJunk { emitJunk() }
                depth = 1
                inString = false
                escaped = false
                pending = [byte]
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                // Text outside a structure runs up to the next object or array: one error.
                if inJunk, pending.count < 1024 { pending.append(byte) }
                if byte == UInt8(ascii: "\n") { line += 1 }
            default:
                if !inJunk { inJunk = true; junkLine = line; pending = [] }
                if pending.count < 1024 { pending.append(byte) }
            }
            return
        }
        pending.append(byte)
        if byte == UInt8(ascii: "\n") { line += 1 }
        if inString {
            if escaped { escaped = false }
            else if byte == UInt8(ascii: "\\") { escaped = true }
            else if byte == UInt8(ascii: "\"") { inString = false }
        } else {
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    ready.append(.record(bytes: pending, line: line))
                    pending = []
                }
            default: break
            }
        }
        if pending.count > Self.maxRecordSize {
            ready.append(.tooLarge(line: line))
            pending = []
            stopped = true
        }
    }

    private mutating func emitJunk() {
        while let last = pending.last, [0x20, 0x09, 0x0A, 0x0D].contains(last) { pending.removeLast() }
        ready.append(.invalid(bytes: pending, line: junkLine, reason: "Invalid JSON: text outside a root-level object or array"))
        pending = []
        inJunk = false
    }
}
