namespace OpenLedger.Node.Tests;

/// <summary>`openledger node --role/--l1-rpc/--rollup-config/--sequencer-rpc` refuse bad combinations with one error line and exit 2.</summary>
[Collection("Console")]
public class NodeRoleCliTests
{
    private static (int Code, string Err) Run(params string[] args)
    {
        var (code, _, err) = CliRunner.Run(args);
        return (code, err);
    }

    [Fact]
    public void Bad_role_options_are_refused_naming_the_option()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"role-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var config = Path.Combine(dir, "config.json");
            File.WriteAllText(config, "{\"genesis\":{\"config\":{\"chainId\":1330660686},\"alloc\":{}},\"rpc\":{\"port\":0}}");
            var (code, err) = Run("node", "--config", config, "--role", "verifier");
            Assert.Equal(2, code);
            Assert.Contains("--role must be sequencer or replica", err);
            (code, err) = Run("node", "--config", config, "--role", "replica");
            Assert.Equal(2, code);
            Assert.Contains("--role replica needs --l1-rpc and --rollup-config", err);
            (code, err) = Run("node", "--config", config, "--sequencer-rpc", "http://127.0.0.1:1");
            Assert.Equal(2, code);
            Assert.Contains("--sequencer-rpc is for --role replica", err);
            (code, err) = Run("node", "--config", config, "--role", "replica", "--l1-rpc", "ftp://x", "--rollup-config", config);
            Assert.Equal(2, code);
            Assert.Contains("--l1-rpc must be an http(s) URL", err);
            (code, err) = Run("node", "--config", config, "--role", "replica", "--l1-rpc", "http://127.0.0.1:1", "--rollup-config", Path.Combine(dir, "missing.json"));
            Assert.Equal(2, code);
            Assert.Contains("does not exist", err);
            (code, err) = Run("node", "--config", config, "--role", "replica", "--l1-rpc", "http://127.0.0.1:1", "--rollup-config", config);
            Assert.Equal(2, code);
            Assert.Contains("rollup config", err); // not a rollup.json: the loader names what is missing
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
