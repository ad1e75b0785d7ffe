using OpenLedger.Primitives.Forks;
using System.Text.Json;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Primitives.Tests;

/// <summary>Runs ethereum/tests TransactionTests expectations: decode txbytes, validate under a fork with chain id 1.</summary>
internal static class TransactionFixtureRunner
{
    public const ulong ChainId = 1; // the chain id the fixtures are filled for

    public sealed record Expectation(string File, string Test, string Fork, string TxBytes, string? Exception, string? Hash, string? Sender, string? IntrinsicGas);

    public static string Root => Path.Combine(TestPaths.EthereumTests, "TransactionTests");

    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    public static IEnumerable<Expectation> Load(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var relative = Path.GetRelativePath(Root, file);
        foreach (var test in doc.RootElement.EnumerateObject())
        {
            var txBytes = test.Value.GetProperty("txbytes").GetString()!;
            foreach (var fork in test.Value.GetProperty("result").EnumerateObject())
            {
                string? Get(string name) => fork.Value.TryGetProperty(name, out var v) ? v.GetString() : null;
                yield return new Expectation(relative, test.Name, fork.Name, txBytes, Get("exception"), Get("hash"), Get("sender"), Get("intrinsicGas"));
            }
        }
    }

    /// <summary>
    /// Whether our rejection is the kind the fixture names: a decoding error (null reason) for malformed RLP and
    /// out-of-range integer fields, otherwise the matching <see cref="TxInvalidReason"/>. "A|B" allows either.
    /// </summary>
    private static bool Matches(string expected, TxInvalidReason? reason) =>
        Names(expected).Any(name => Category(name) == reason);

    private static IEnumerable<string> Names(string expected) => expected.Split('|').Select(n => n.Replace("TransactionException.", ""));

    /// <summary>
    /// Decoding errors also stand for two validation kinds: a signature value wider than 32 bytes is our uint256
    /// decoding error where geth (a big integer) reports INVALID_SIGNATURE_VRS; and a type byte the fork (or the
    /// filling client) does not know is TYPE_NOT_SUPPORTED however its body reads.
    /// </summary>
    private static bool DecodingErrorMatches(Expectation e, ForkSpec rules, TransactionDecodingException ex)
    {
        if (Matches(e.Exception!, null)) return true;
        var names = Names(e.Exception!).ToList();
        if (names.Contains("INVALID_SIGNATURE_VRS") && ex.Field is "v" or "r" or "s" or "yParity") return true;
        if (names.Contains("TYPE_NOT_SUPPORTED"))
        {
            var first = Convert.ToByte(e.TxBytes.Substring(2, 2), 16);
            return ex.IsUnsupportedType || (first < 0x80 && !rules.Supports((TxType)first));
        }
        return false;
    }

    private static TxInvalidReason? Category(string name) => name switch
    {
        "TYPE_NOT_SUPPORTED" => TxInvalidReason.TypeNotSupported,
        "NONCE_TOO_BIG" => TxInvalidReason.NonceTooBig,
        "GASLIMIT_PRICE_PRODUCT_OVERFLOW" => TxInvalidReason.GasLimitPriceProductOverflow,
        "PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS" or "PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS_2" => TxInvalidReason.PriorityFeeGreaterThanMaxFee,
        "INTRINSIC_GAS_TOO_LOW" => TxInvalidReason.IntrinsicGasTooLow,
        "INITCODE_SIZE_EXCEEDED" => TxInvalidReason.InitcodeSizeExceeded,
        "INVALID_CHAINID" => TxInvalidReason.InvalidChainId,
        "INVALID_SIGNATURE_VRS" or "EC_RECOVERY_FAIL" => TxInvalidReason.InvalidSignature,
        _ when name.StartsWith("RLP_", StringComparison.Ordinal) || name.EndsWith("_OVERFLOW", StringComparison.Ordinal)
               || name.StartsWith("ADDRESS_TOO_", StringComparison.Ordinal) => null,
        _ => throw new ArgumentException($"unmapped fixture exception {name}"),
    };

    /// <summary>Null when our result matches the expectation, otherwise what differed.</summary>
    public static string? Mismatch(Expectation e)
    {
        var rules = (ForkSpec.ByName(e.Fork) ?? throw new InvalidOperationException($"unknown fork {e.Fork}"));
        Transaction tx;
        try
        {
            tx = TxDecoder.Decode(Hex.Decode(e.TxBytes));
        }
        catch (TransactionDecodingException ex)
        {
            if (e.Exception is null) return $"expected valid, decoding failed: {ex.Message}";
            return DecodingErrorMatches(e, rules, ex) ? null : $"expected {e.Exception}, got a decoding error: {ex.Message}";
        }
        if (!TxValidator.IsValid(tx, rules, ChainId, out var sender, out var error))
        {
            if (e.Exception is null) return $"expected valid, rejected: {error!.Reason}: {error.Message}";
            return Matches(e.Exception, error!.Reason) ? null : $"expected {e.Exception}, rejected as {error.Reason}: {error.Message}";
        }
        if (e.Exception is not null) return $"expected {e.Exception}, accepted (sender {sender})";

        if (!Hex.Encode(tx.Encode()).Equals(e.TxBytes, StringComparison.OrdinalIgnoreCase)) return "re-encoding differs from txbytes";
        if (e.Hash is not null && tx.Hash != Hash256.Parse(e.Hash)) return $"hash {tx.Hash}, expected {e.Hash}";
        if (e.Sender is not null && sender != Address.Parse(e.Sender)) return $"sender {sender}, expected {e.Sender}";
        if (e.IntrinsicGas is not null && IntrinsicGas.Compute(tx, rules) != Convert.ToUInt64(e.IntrinsicGas, 16))
            return $"intrinsic gas {IntrinsicGas.Compute(tx, rules)}, expected {Convert.ToUInt64(e.IntrinsicGas, 16)}";
        return null;
    }
}
