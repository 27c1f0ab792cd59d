import AWSStandIns
import Foundation
import Testing

@testable import AWSAuth

/// Each provider of the chain obtains credentials from its real counterpart: moto's STS for
/// `AssumeRole`, local stand-ins speaking the documented APIs for the rest.
@Suite("Credential providers")
struct CredentialSourceTests {
    struct NoCredentials: Error { var resolution: AWSCredentialResolution }

    static func found(_ resolution: AWSCredentialResolution) throws -> AWSCredentials {
        guard case .found(let credentials) = resolution else { throw NoCredentials(resolution: resolution) }
        return credentials
    }

    static func reason(_ resolution: AWSCredentialResolution) -> String? {
        if case .notApplicable(let reason) = resolution { return reason }
        return nil
    }

    @Test("web identity: the token file's token goes to STS AssumeRoleWithWebIdentity, unsigned")
    func webIdentity() async throws {
        let standIn = try await AWSStandIn.start()
        let home = try ScratchHome()
        defer { home.remove() }
        let tokenFile = try home.write("token", standIn.options.webIdentityToken + "\n")
        let environment = home.environment([
            "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/irsa",
            "AWS_ROLE_SESSION_NAME": "rrr-pod", "AWS_ENDPOINT_URL_STS": standIn.endpoint,
        ])
        let credentials = try Self.found(try await WebIdentityCredentialSource(environment: environment).resolve())
        #expect(credentials.accessKeyID.hasPrefix("ASIA") && credentials.sessionToken != nil && credentials.expiration != nil)
        let call = try #require(standIn.requests.last)
        #expect(call.form["Action"] == "AssumeRoleWithWebIdentity" && call.form["Version"] == "2011-06-15")
        #expect(call.form["RoleSessionName"] == "rrr-pod" && call.form["RoleArn"] == "arn:aws:iam::123456789012:role/irsa")
        #expect(call.header("authorization") == nil)

        // A rotated (wrong) token: STS's code, the role, and never the token itself.
        try home.write("token", "a-stale-token-value")
        let error = await #expect(throws: AWSAuthError.self) { try await WebIdentityCredentialSource(environment: environment).resolve() }
        #expect(error?.code == "InvalidIdentityToken")
        #expect(error?.description.contains("arn:aws:iam::123456789012:role/irsa") == true)
        #expect(error.map(allText)?.contains("a-stale-token-value") == false)
        #expect(Self.reason(try await WebIdentityCredentialSource(environment: home.environment()).resolve()) == "AWS_WEB_IDENTITY_TOKEN_FILE is not set")
        await standIn.shutdown()
    }

    @Test("shared files: keys of the credentials file, a [profile x] of the config file, AWS_PROFILE")
    func sharedFileKeys() async throws {
        let home = try ScratchHome()
        defer { home.remove() }
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file/secret\n")
        try home.write(".aws/config", "[profile ci]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = config/secret\naws_session_token = tok\n")
        let fromDefault = try Self.found(try await ProfileCredentialSource(environment: home.environment()).resolve())
        #expect(fromDefault.accessKeyID == "AKIDFILE" && fromDefault.secretAccessKey == "file/secret")
        let fromCI = try Self.found(try await ProfileCredentialSource(environment: home.environment(["AWS_PROFILE": "ci"])).resolve())
        #expect(fromCI.accessKeyID == "AKIDCONFIG" && fromCI.sessionToken == "tok")
        let missing = try await ProfileCredentialSource(environment: home.environment(["AWS_PROFILE": "nope"])).resolve()
        #expect(Self.reason(missing)?.contains("profile `nope` is in neither") == true)

        // AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE move the files.
        let elsewhere = try home.write("elsewhere/creds", "[default]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = s\n")
        let moved = try Self.found(try await ProfileCredentialSource(environment: home.environment(["AWS_SHARED_CREDENTIALS_FILE": elsewhere])).resolve())
        #expect(moved.accessKeyID == "AKIDMOVED")
    }

    @Test("shared files: role_arn + source_profile assumes the role with moto's STS AssumeRole, chains included", .requiresMoto)
    func assumeRoleFromSourceProfile() async throws {
        let moto = try MotoServer.required()
        let home = try ScratchHome()
        defer { home.remove() }
        try home.write(".aws/credentials", """
            [base]
            aws_access_key_id = \(moto.credentials.accessKeyID)
            aws_secret_access_key = \(moto.credentials.secretAccessKey)
            """)
        try home.write(".aws/config", """
            [profile deploy]
            role_arn = \(moto.roleARN)
            source_profile = base
            role_session_name = rrr-deploy
            [profile chained]
            role_arn = \(moto.roleARN)
            source_profile = deploy
            [profile loop]
            role_arn = \(moto.roleARN)
            source_profile = loop2
            [profile loop2]
            role_arn = \(moto.roleARN)
            source_profile = loop
            """)
        let base = home.environment(["AWS_ENDPOINT_URL": moto.endpoint, "AWS_REGION": "us-east-1"])
        for profile in ["deploy", "chained"] {
            let environment = AWSEnvironment(base.variables, profile: profile)
            let credentials = try Self.found(try await ProfileCredentialSource(environment: environment).resolve())
            #expect(credentials.accessKeyID != moto.credentials.accessKeyID && credentials.sessionToken != nil)
            // Moto accepts them for a signed call: they are real temporary credentials.
            let client = AWSClient(environment: environment, credentials: credentials)
            let secret = try await client.secretString(moto.secretID, region: "us-east-1")
            #expect(secret.value.contains("password"))
        }
        let error = await #expect(throws: AWSAuthError.self) {
            try await ProfileCredentialSource(environment: AWSEnvironment(base.variables, profile: "loop")).resolve()
        }
        #expect(error?.message.contains("loops back") == true)
    }

    @Test("shared files: credential_process output, and a failing process named without its stderr")
    func credentialProcess() async throws {
        let home = try ScratchHome()
        defer { home.remove() }
        let script = try home.write("bin/creds", """
            #!/bin/sh
            echo '{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "proc/secret", "SessionToken": "proc-token", "Expiration": "2099-01-01T00:00:00Z"}'
            """, executable: true)
        let failing = try home.write("bin/fails", "#!/bin/sh\necho 'leaked-secret-on-stderr' >&2\nexit 3\n", executable: true)
        try home.write(".aws/config", """
            [default]
            credential_process = "\(script)" --ignored "argument with spaces"
            [profile broken]
            credential_process = \(failing)
            """)
        let credentials = try Self.found(try await ProfileCredentialSource(environment: home.environment()).resolve())
        #expect(credentials.accessKeyID == "AKIDPROCESS" && credentials.sessionToken == "proc-token")
        #expect(credentials.expiration == AWSTimestamp.parse("2099-01-01T00:00:00Z"))
        let error = await #expect(throws: AWSAuthError.self) {
            try await ProfileCredentialSource(environment: home.environment(["AWS_PROFILE": "broken"])).resolve()
        }
        #expect(error?.code == .processFailed && error?.message.contains("exited with status 3") == true)
        #expect(error.map(allText)?.contains("leaked-secret-on-stderr") == false)
    }

    @Test("container: relative URI on the agent's address, full URI with a token file; other hosts refused")
    func container() async throws {
        var options = AWSStandIn.Options()
        options.containerToken = "pod-identity-token"
        let standIn = try await AWSStandIn.start(options: options)
        let home = try ScratchHome()
        defer { home.remove() }
        let tokenFile = try home.write("eks-token", "pod-identity-token\n")

        let full = home.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": standIn.endpoint + options.containerPath,
                                     "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile])
        let credentials = try Self.found(try await ContainerCredentialSource(environment: full).resolve())
        #expect(credentials.sessionToken != nil && credentials.expiration != nil)
        #expect(standIn.requests.last?.header("authorization") == "pod-identity-token")

        // ECS: the relative URI is served by the agent (here: the stand-in in its place).
        let relative = home.environment(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": options.containerPath,
                                         "AWS_CONTAINER_AUTHORIZATION_TOKEN": "pod-identity-token"])
        // 10 s: on a loaded machine a 2 s limit expired while the stand-in answered, and the retry
        // made a third issue.
        _ = try Self.found(try await ContainerCredentialSource(environment: relative, api: AWSAPI(timeout: .seconds(10)), relativeBase: standIn.endpoint).resolve())
        #expect(standIn.issuedCount("container") == 2)

        let wrongToken = home.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": standIn.endpoint + options.containerPath,
                                           "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong"])
        let denied = await #expect(throws: AWSAuthError.self) { try await ContainerCredentialSource(environment: wrongToken).resolve() }
        #expect(denied?.code == "AccessDenied" && denied?.httpStatus == 401)

        for url in ["http://169.254.169.254/credentials", "http://example.com/credentials"] {
            let refused = await #expect(throws: AWSAuthError.self) {
                try await ContainerCredentialSource(environment: home.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": url])).resolve()
            }
            #expect(refused?.code == .invalidConfiguration)
        }
        #expect(throws: Never.self) { try ContainerCredentialSource.checkAllowed("http://169.254.170.23/v1/credentials") }
        #expect(throws: Never.self) { try ContainerCredentialSource.checkAllowed("http://[fd00:ec2::23]/v1/credentials") }
        #expect(throws: Never.self) { try ContainerCredentialSource.checkAllowed("https://creds.example.com/x") }
        await standIn.shutdown()
    }

    @Test("EC2 instance metadata: IMDSv2 token, role name, role credentials")
    func instanceMetadata() async throws {
        let standIn = try await AWSStandIn.start()
        let home = try ScratchHome()
        defer { home.remove() }
        // A stand-in on a machine busy with the whole suite may take more than botocore's default second.
        let environment = home.environment(["AWS_EC2_METADATA_SERVICE_ENDPOINT": standIn.endpoint,
                                            "AWS_METADATA_SERVICE_TIMEOUT": "10"], metadata: true)
        let credentials = try Self.found(try await InstanceMetadataCredentialSource(environment: environment).resolve())
        #expect(credentials.providerName == "EC2 instance metadata (IMDSv2), role rrr-instance-role")
        let requests = standIn.requests.map { "\($0.method) \($0.path)" }
        #expect(requests == ["PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/",
                             "GET /latest/meta-data/iam/security-credentials/rrr-instance-role"])
        #expect(standIn.requests[0].header("x-aws-ec2-metadata-token-ttl-seconds") == "21600")
        #expect(standIn.requests[1].header("x-aws-ec2-metadata-token") == standIn.requests[2].header("x-aws-ec2-metadata-token"))
        let disabled = try await InstanceMetadataCredentialSource(environment: home.environment()).resolve()
        #expect(Self.reason(disabled) == "AWS_EC2_METADATA_DISABLED is true")
        await standIn.shutdown()
    }

    @Test("EC2 instance metadata off EC2: gives up within about a second when the address does not answer")
    func instanceMetadataTimeout() async throws {
        // Accepts the connection and does not answer for five minutes: what a firewalled link-local
        // address looks like. Coming back at all shows the source gave up on its own.
        let silent = try await StandInHTTPServer.start { _ in
            try? await Task.sleep(for: .seconds(300))
            return .init()
        }
        let home = try ScratchHome()
        defer { home.remove() }
        let started = ContinuousClock.now
        let resolution = try await InstanceMetadataCredentialSource(
            environment: home.environment(["AWS_EC2_METADATA_SERVICE_ENDPOINT": silent.endpoint], metadata: true)).resolve()
        let elapsed = ContinuousClock.now - started
        #expect(Self.reason(resolution)?.contains("within 1 s") == true)
        // One second of timeout (1.03 s measured alone); the margin absorbs a test machine running the
        // whole suite on two cores, and stays far below the HTTP client's 90 s default.
        #expect(elapsed < .seconds(30), "took \(elapsed)")
        await silent.shutdown()
    }
}
