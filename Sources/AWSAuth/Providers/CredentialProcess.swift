import Foundation

/// Runs a profile's `credential_process` command and reads the credentials it prints:
/// `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}`.
///
/// The command line is split like a POSIX shell's words (quotes and backslashes), without a shell.
/// Its standard error is not read into errors (it could hold anything); the exit status is.
struct CredentialProcess: Sendable {
    var command: String
    var environment: [String: String]
    /// A command that hangs is stopped after this long.
    var timeout: Duration = .seconds(60)

    func run() async throws -> AWSCredentials {
        let arguments = try Self.split(command)
        guard let program = arguments.first else {
            throw AWSAuthError(code: .invalidConfiguration, message: "credential_process is empty")
        }
        let output = try await Self.execute(program: program, arguments: Array(arguments.dropFirst()),
                                            environment: environment, timeout: timeout)
        if let object = (try? JSONSerialization.jsonObject(with: Data(output))) as? [String: Any],
           let version = object["Version"] as? Int, version != 1 {
            throw AWSAuthError(code: .processFailed, message: "credential_process printed Version \(version) (only 1 is known)")
        }
        do {
            return try CredentialDocument.parse(output, tokenField: "SessionToken", what: "credential_process")
        } catch var error {
            error.code = .processFailed
            throw error
        }
    }

    /// Runs the program on a Dispatch thread (waiting blocks) and returns its standard output.
    private static func execute(program: String, arguments: [String], environment: [String: String], timeout: Duration) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                // A bare name is looked up in PATH through env, as a shell would.
                if program.contains("/") {
                    process.executableURL = URL(fileURLWithPath: program)
                    process.arguments = arguments
                } else {
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                    process.arguments = [program] + arguments
                }
                process.environment = environment
                let output = Pipe()
                process.standardOutput = output
                process.standardError = FileHandle.nullDevice
                process.standardInput = FileHandle.nullDevice
                do { try process.run() } catch {
                    continuation.resume(throwing: AWSAuthError(code: .processFailed, message: "cannot start credential_process \(program)", underlying: error))
                    return
                }
                let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout.timeInterval, execute: timer)
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                timer.cancel()
                guard process.terminationReason == .exit, process.terminationStatus == 0 else {
                    let how = process.terminationReason == .exit ? "exited with status \(process.terminationStatus)" : "was stopped (signal \(process.terminationStatus))"
                    continuation.resume(throwing: AWSAuthError(code: .processFailed, message: "credential_process \(program) \(how)"))
                    return
                }
                continuation.resume(returning: Array(data))
            }
        }
    }

    /// Splits a command line into words: whitespace separates, '…' keeps everything, "…" keeps
    /// everything but \" and \\, a backslash outside quotes escapes the next character.
    static func split(_ command: String) throws(AWSAuthError) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in command {
            if escaped {
                // Inside "…" a backslash escapes only " and \ (and stays otherwise), as in sh.
                if quote == "\"", character != "\"", character != "\\" { word.append("\\") }
                word.append(character); escaped = false; inWord = true
                continue
            }
            switch (quote, character) {
            case ("'", "'"), ("\"", "\""):
                quote = nil
            case ("'", _):
                word.append(character)
            case ("\"", "\\"), (nil, "\\"):
                escaped = true
            case ("\"", _):
                word.append(character)
            case (nil, "'"), (nil, "\""):
                quote = character; inWord = true
            case (nil, _) where character.isWhitespace:
                if inWord { words.append(word); word = ""; inWord = false }
            default:
                word.append(character); inWord = true
            }
        }
        guard quote == nil, !escaped else {
            throw AWSAuthError(code: .invalidConfiguration, message: "credential_process has an unterminated quote or escape")
        }
        if inWord { words.append(word) }
        return words
    }
}
