using OpenLedger.Node.Devnet;

namespace OpenLedger.Node.Tests;

/// <summary>A torn anvil state file in a devnet data directory falls back to the last one that parsed.</summary>
public sealed class L1StateFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ol-l1state-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void GoodFile_IsKept_AndBackedUp()
    {
        File.WriteAllText(L1StateFile.PathIn(_dir), """{"block":{"number":"0x5"}}""");
        Assert.Null(L1StateFile.Prepare(_dir));
        Assert.Equal("""{"block":{"number":"0x5"}}""", File.ReadAllText(L1StateFile.PathIn(_dir) + ".bak"));
    }

    [Fact]
    public void TornFile_IsReplacedByTheBackup()
    {
        File.WriteAllText(L1StateFile.PathIn(_dir), """{"block":{"number":"0x5"}}""");
        L1StateFile.Prepare(_dir);
        File.WriteAllText(L1StateFile.PathIn(_dir), """{"block":{"numb""");
        var warning = L1StateFile.Prepare(_dir);
        Assert.Contains("torn", warning);
        Assert.Equal("""{"block":{"number":"0x5"}}""", File.ReadAllText(L1StateFile.PathIn(_dir)));
    }

    [Fact]
    public void TornFile_WithoutBackup_IsMovedAside()
    {
        File.WriteAllText(L1StateFile.PathIn(_dir), "{\"acc");
        var warning = L1StateFile.Prepare(_dir);
        Assert.Contains("no usable backup", warning);
        Assert.False(File.Exists(L1StateFile.PathIn(_dir)));
        Assert.True(File.Exists(L1StateFile.PathIn(_dir) + ".torn"));
    }

    [Fact]
    public void NoFile_IsAFreshStart() => Assert.Null(L1StateFile.Prepare(_dir));
}
