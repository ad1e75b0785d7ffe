using System.Text;
using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;

namespace OpenLedger.Node.Tests.L2;

/// <summary>
/// What a hostile or broken client can send: each gets its JSON-RPC error (code and geth's message),
/// and the node keeps serving: a well-formed call right after succeeds.
/// </summary>
[Collection(L2Collection.Name)]
public sealed class BadInputTests(L2NodeFixture node)
{
    private async Task StillServesAsync()
    {
        var r = await node.ResultAsync("eth_chainId");
        Assert.Equal("0x" + node.ChainId.ToString("x"), r.GetString());
    }

    private static (int Code, string Message) Error(JsonElement response)
    {
        Assert.True(response.TryGetProperty("error", out var e), $"expected an error, got {response}");
        return (e.GetProperty("code").GetInt32(), e.GetProperty("message").GetString()!);
    }

    private async Task<(int Code, string Message)> SendRawAsync(byte[] raw) =>
        Error(await node.CallAsync("eth_sendRawTransaction", L2NodeFixture.Hex0x(raw)));

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"", -32700)]
    [InlineData("not json at all", -32700)]
    [InlineData("[]", -32600)]
    [InlineData("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"eth_chainId\"}", -32600)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":42}", -32600)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":{\"a\":1}}", -32602)]
    public async Task MalformedRequests_GetJsonRpcErrors(string body, int code)
    {
        var (status, json, text) = await node.PostRawAsync(body);
        Assert.True(status == 200 && json is not null, $"HTTP {status}: {text}");
        Assert.Equal(code, Error(json!.Value).Code);
        await StillServesAsync();
    }

    [Fact]
    public async Task UnknownMethod_MethodNotFound_WithGethMessage()
    {
        var (code, message) = Error(await node.CallAsync("eth_doesNotExist"));
        Assert.Equal(-32601, code);
        Assert.Equal("the method eth_doesNotExist does not exist/is not available", message);
        await StillServesAsync();
    }

    [Fact]
    public async Task WrongParameterTypes_InvalidParams()
    {
        var cases = new (string Method, object?[] Args)[]
        {
            ("eth_getBalance", [12345, "latest"]),
            ("eth_getBalance", ["0x1234", "latest"]),
            ("eth_getBlockByNumber", ["0x01", false]),
            ("eth_getBlockByNumber", ["0x1", "yes"]),
            ("eth_getTransactionReceipt", ["0xabc"]),
            ("eth_call", ["not an object", "latest"]),
            ("eth_sendRawTransaction", ["0x123"]),
            ("eth_chainId", [1]),
        };
        foreach (var (method, args) in cases)
        {
            var (code, message) = Error(await node.CallAsync(method, args));
            Assert.True(code == -32602, $"{method}({JsonSerializer.Serialize(args)}): code {code} {message}");
            Assert.False(string.IsNullOrWhiteSpace(message));
        }
        await StillServesAsync();
    }

    [Fact]
    public async Task OversizePayload_Rejected_NodeKeepsServing()
    {
        // Default limit 5 MiB: send 6 MiB of one string parameter.
        var big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_call\",\"params\":[{\"data\":\"0x" + new string('a', 6 * 1024 * 1024) + "\"}]}";
        // Expect: 100-continue lets the server answer before the body is sent (otherwise the client sees only a reset pipe).
        using var request = new HttpRequestMessage(HttpMethod.Post, node.Node.RpcUrl) { Content = new StringContent(big, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var response = await node.Http.SendAsync(request);
        Assert.Equal(413, (int)response.StatusCode);

        // Over WebSocket (no Content-Length): the connection is closed with MessageTooBig; HTTP keeps serving.
        using var ws = new System.Net.WebSockets.ClientWebSocket();
        await ws.ConnectAsync(new Uri(node.Node.WebSocketUrl), CancellationToken.None);
        var bytes = Encoding.UTF8.GetBytes(big);
        try
        {
            for (int off = 0; off < bytes.Length; off += 64 * 1024)
                await ws.SendAsync(bytes.AsMemory(off, Math.Min(64 * 1024, bytes.Length - off)), System.Net.WebSockets.WebSocketMessageType.Text, off + 64 * 1024 >= bytes.Length, CancellationToken.None);
        }
        catch (System.Net.WebSockets.WebSocketException) { } // the server may close before the last frame
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var r = await ws.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(System.Net.WebSockets.WebSocketMessageType.Close, r.MessageType);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.MessageTooBig, ws.CloseStatus);
        await StillServesAsync();
    }

    [Fact]
    public async Task InvalidRlp_BadSignature_WrongChain_NoFunds_EachRejectedWithItsMessage()
    {
        var (from, key) = node.Accounts[6];
        var (code, message) = await SendRawAsync([0x02, 0xc0, 0x01]);
        Assert.Equal(-32000, code);
        Assert.StartsWith("invalid transaction", message);
        (code, message) = await SendRawAsync(Encoding.ASCII.GetBytes("definitely not rlp"));
        Assert.Equal(-32000, code);

        // High s (EIP-2) and r = 0: neither recovers a sender.
        var tx = node.Sign(key, 0, from, UInt256.One);
        tx.S = Secp256k1.N - tx.S;
        (code, message) = await SendRawAsync(tx.Encode());
        Assert.Equal(-32000, code);
        Assert.StartsWith("invalid sender", message);
        tx = node.Sign(key, 0, from, UInt256.One);
        tx.R = UInt256.Zero;
        (code, message) = await SendRawAsync(tx.Encode());
        Assert.Equal(-32000, code);
        Assert.StartsWith("invalid sender", message);

        var wrongChain = node.Sign(key, 0, from, UInt256.One);
        wrongChain.ChainId = 1;
        wrongChain.Sign(key);
        (code, message) = await SendRawAsync(wrongChain.Encode());
        Assert.Equal(-32000, code);
        Assert.StartsWith("invalid chain id", message);

        using var pauper = EthKey.Generate();
        var broke = node.Sign(pauper.ExportPrivateKey(), 0, from, UInt256.One);
        (code, message) = await SendRawAsync(broke.Encode());
        Assert.Equal(-32000, code);
        Assert.StartsWith("insufficient funds for gas * price + value: balance 0, tx cost ", message); // geth's txpool words

        var lowFee = node.Sign(key, 0, from, UInt256.One, maxFee: UInt256.One, tip: UInt256.One);
        (code, message) = await SendRawAsync(lowFee.Encode());
        Assert.Equal(-32000, code);
        Assert.StartsWith("max fee per gas less than block base fee", message);

        var lowGas = node.Sign(key, 0, from, UInt256.One, gas: 20_000);
        (code, message) = await SendRawAsync(lowGas.Encode());
        Assert.Equal(-32000, code);
        Assert.Equal("intrinsic gas too low: gas 20000, minimum needed 21000", message);

        // None of the above touched the account: its first real transaction still uses nonce 0.
        var ok = node.Sign(key, 0, from, UInt256.One);
        var hash = await node.ResultAsync("eth_sendRawTransaction", L2NodeFixture.Hex0x(ok.Encode()));
        Assert.Equal("0x1", (await node.WaitReceiptAsync(hash.GetString()!)).GetProperty("status").GetString());
        (code, message) = await SendRawAsync(ok.Encode());
        Assert.Equal(-32000, code);
        Assert.True(message is "already known" or "nonce too low: next nonce 1, tx nonce 0", message);
        (code, message) = await SendRawAsync(node.Sign(key, 0, from, new UInt256(2)).Encode());
        Assert.Equal((-32000, "nonce too low: next nonce 1, tx nonce 0"), (code, message));
    }

    [Fact]
    public async Task NonceGap_QueuedUntilFilled_TooFarAheadRejected()
    {
        var (from, key) = node.Accounts[7];
        var target = Address.Parse("0x0000000000000000000000000000000000009a90");
        // Nonces 1 and 2 wait for 0.
        var queued = new[] { node.Sign(key, 1, target, UInt256.One), node.Sign(key, 2, target, UInt256.One) };
        foreach (var t in queued) await node.ResultAsync("eth_sendRawTransaction", L2NodeFixture.Hex0x(t.Encode()));
        var status = await node.ResultAsync("txpool_status");
        Assert.True(L2NodeFixture.Q(status.GetProperty("queued")) >= 2, $"txpool_status {status}");
        await Task.Delay(200);
        Assert.Equal(JsonValueKind.Null, (await node.ResultAsync("eth_getTransactionReceipt", queued[0].Hash.ToString())).ValueKind);
        Assert.Equal("0x0", (await node.ResultAsync("eth_getTransactionCount", from.ToLowerHex(), "latest")).GetString());

        var (code, message) = Error(await node.CallAsync("eth_sendRawTransaction", L2NodeFixture.Hex0x(node.Sign(key, 5000, target, UInt256.One).Encode())));
        Assert.Equal((-32000, "nonce too high: next nonce 0, tx nonce 5000"), (code, message));

        // Filling the gap releases the queue: all three land.
        await node.ResultAsync("eth_sendRawTransaction", L2NodeFixture.Hex0x(node.Sign(key, 0, target, UInt256.One).Encode()));
        foreach (var t in queued) Assert.Equal("0x1", (await node.WaitReceiptAsync(t.Hash.ToString())).GetProperty("status").GetString());
        Assert.Equal("0x3", (await node.ResultAsync("eth_getTransactionCount", from.ToLowerHex(), "latest")).GetString());
    }

    [Fact]
    public async Task FloodFromOneSender_CappedPerAccount_OthersStillServed()
    {
        var (_, floodKey) = node.Accounts[8];
        var (victim, victimKey) = node.Accounts[9];
        var target = Address.Parse("0x000000000000000000000000000000000000f100");
        // 400 transactions with a gap (nonces 1..400): none can execute, all would sit in the pool.
        var flood = Enumerable.Range(1, 400).Select(n => L2NodeFixture.Hex0x(node.Sign(floodKey, (ulong)n, target, UInt256.One).Encode())).ToArray();
        var results = new List<JsonElement>();
        var gate = new SemaphoreSlim(16);
        var floodTask = Task.WhenAll(flood.Select(async raw =>
        {
            await gate.WaitAsync();
            try
            {
                var r = await node.CallAsync("eth_sendRawTransaction", raw);
                lock (results) results.Add(r);
            }
            finally
            {
                gate.Release();
            }
        }));

        // Meanwhile another account's transfer goes through.
        var tx = node.Sign(victimKey, 0, target, new UInt256(5));
        var hash = await node.ResultAsync("eth_sendRawTransaction", L2NodeFixture.Hex0x(tx.Encode()));
        Assert.Equal("0x1", (await node.WaitReceiptAsync(hash.GetString()!)).GetProperty("status").GetString());
        await floodTask;

        int accepted = results.Count(r => r.TryGetProperty("result", out _));
        var errors = results.Where(r => r.TryGetProperty("error", out _)).Select(Error).ToArray();
        Assert.Equal(256, accepted); // TxPoolOptions.MaxPerSender
        Assert.Equal(400 - 256, errors.Length);
        Assert.All(errors, e => Assert.Equal((-32000, "account limit exceeded"), e));
        Assert.Equal("0x1", (await node.ResultAsync("eth_getTransactionCount", victim.ToLowerHex(), "latest")).GetString());
        await StillServesAsync();
    }
}
