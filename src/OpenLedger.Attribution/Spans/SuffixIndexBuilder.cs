using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace OpenLedger.Attribution.Spans;

/// <summary>One contribution's tokens, keyed by its on-chain contribution id.</summary>
public sealed record TokenizedContribution(ulong ContributionId, int[] Tokens);

/// <summary>Builds a <see cref="SuffixIndex"/> (SA-IS over the separated token text) in memory.</summary>
public static unsafe class SuffixIndexBuilder
{
    public static SuffixIndex Build(IReadOnlyList<TokenizedContribution> contributions, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        if (vocabularySize <= 0 || vocabularySize > SuffixIndexHeader.Separator)
            throw new ArgumentOutOfRangeException(nameof(vocabularySize), $"vocabulary size must lie in [1, {SuffixIndexHeader.Separator}] to fit 17-bit tokens");
        long n = 0;
        var seen = new HashSet<ulong>();
        foreach (var c in contributions)
        {
            if (!seen.Add(c.ContributionId)) throw new ArgumentException($"contribution {c.ContributionId} appears twice");
            n += c.Tokens.Length + 1;
        }
        if (n > SuffixIndexHeader.MaxRecords) throw new ArgumentException($"corpus of {n} tokens is over the 2^31 − 1 limit of 31-bit suffix entries");

        var text = new int[n];
        var starts = new int[contributions.Count];
        int pos = 0;
        for (int d = 0; d < contributions.Count; d++)
        {
            starts[d] = pos;
            var tokens = contributions[d].Tokens;
            for (int i = 0; i < tokens.Length; i++)
            {
                int t = tokens[i];
                if ((uint)t >= (uint)vocabularySize)
                    throw new ArgumentException($"contribution {contributions[d].ContributionId} has token {t} at {i}, outside the vocabulary [0, {vocabularySize})");
                text[pos++] = t;
            }
            text[pos++] = SuffixIndexHeader.Separator;
        }
        var sa = SuffixArrayBuilder.Build(text, SuffixIndexHeader.Separator + 1);

        var header = new SuffixIndexHeader(vocabularySize, n, contributions.Count, default);
        var image = GC.AllocateUninitializedArray<byte>(checked((int)header.FileLength), pinned: true);
        Array.Clear(image);
        fixed (byte* p = image)
        {
            byte* rec = p + SuffixIndexHeader.Size;
            for (long i = 0; i < n; i++)
            {
                ulong r = (uint)sa[i] | ((ulong)(uint)text[i] << 31);
                for (int b = 0; b < 6; b++) rec[i * 6 + b] = (byte)(r >> (8 * b));
            }
            for (int d = 0; d < starts.Length; d++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(image.AsSpan((int)(header.StartsOffset + 4L * d)), starts[d]);
                BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan((int)(header.IdsOffset + 8L * d)), contributions[d].ContributionId);
            }
            header = header with { Checksum = SuffixIndex.ComputeChecksum(p, header) };
        }
        header.Write(image, zeroChecksum: false);
        return SuffixIndex.FromImage(image);
    }
}
