using OpenLedger.Evm.Precompiles;

namespace OpenLedger.Evm.Tests.Precompiles;

/// <summary>Malformed input is a defined failure or a defined result, never an exception.</summary>
public class PrecompileRobustnessTests
{
    public static TheoryData<IPrecompile> All() =>
    [
        new ModExpPrecompile(), new Bn254AddPrecompile(), new Bn254MulPrecompile(), new Bn254PairingPrecompile(),
        new Blake2fPrecompile(), new PointEvaluationPrecompile(),
    ];

    [Theory]
    [MemberData(nameof(All))]
    public void Random_and_boundary_inputs_never_throw(IPrecompile precompile)
    {
        var rng = new Random(precompile.AddressIndex);
        foreach (int length in new[] { 0, 1, 31, 32, 63, 64, 95, 96, 127, 128, 191, 192, 193, 212, 213, 214, 384 })
        {
            for (int i = 0; i < 4; i++)
            {
                var input = new byte[length];
                if (i > 0) rng.NextBytes(input);
                if (i == 3) Array.Fill(input, (byte)0xff);
                long gas = precompile.GasCost(input);
                Assert.True(gas >= 0);
                if (precompile is ModExpPrecompile && gas > 10_000_000) continue; // priced out before running
                if (precompile is Blake2fPrecompile && gas > 1_000_000) continue;
                bool ok = precompile.TryRun(input, out var output);
                Assert.NotNull(output);
                if (!ok) Assert.Empty(output);
            }
        }
    }

    [Fact]
    public void Registry_lists_the_precompiles_at_their_addresses()
    {
        var byAddress = PrecompileRegistry.Cancun().ToDictionary(p => p.AddressIndex);
        Assert.IsType<ModExpPrecompile>(byAddress[0x05]);
        Assert.IsType<Bn254AddPrecompile>(byAddress[0x06]);
        Assert.IsType<Bn254MulPrecompile>(byAddress[0x07]);
        Assert.IsType<Bn254PairingPrecompile>(byAddress[0x08]);
        Assert.IsType<Blake2fPrecompile>(byAddress[0x09]);
        Assert.IsType<PointEvaluationPrecompile>(byAddress[0x0a]);
    }
}
