using OpenLedger.Primitives.Transactions;
using OpenLedger.Rollup.Derivation;
using OpenLedger.Rollup.Encoding;
using OpenLedger.Rollup.Tests.Support;

namespace OpenLedger.Rollup.Tests;

public class FrameTests
{
    private static readonly byte[] Id = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

    [Fact]
    public void Frames_round_trip_with_the_spec_layout()
    {
        var frames = new[] { new Frame(Id, 0, [1, 2, 3], false), new Frame(Id, 1, [], true) };
        var data = Frame.EncodeBatcherData(frames);
        Assert.Equal(1 + 23 + 3 + 23, data.Length);
        Assert.Equal(0, data[0]);
        // channel_id, frame_number u16 BE, length u32 BE, data, is_last
        Assert.Equal(Id, data[1..17]);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 3, 1, 2, 3, 0 }, data[17..27]);
        Assert.Equal(new byte[] { 0, 1, 0, 0, 0, 0, 1 }, data[(27 + 16)..]);
        var parsed = Frame.ParseBatcherData(data);
        Assert.Equal(2, parsed.Count);
        Assert.Equal(frames[0].Data, parsed[0].Data);
        Assert.True(parsed[1].IsLast);
        Assert.Equal(1, parsed[1].FrameNumber);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("version")]
    [InlineData("noframes")]
    [InlineData("islast2")]
    [InlineData("truncated")]
    [InlineData("toolong")]
    [InlineData("trailing")]
    public void Malformed_batcher_data_rejects_the_whole_transaction(string kind)
    {
        var good = Frame.EncodeBatcherData([new Frame(Id, 0, [9, 9], true)]);
        byte[] bad = kind switch
        {
            "empty" => [],
            "version" => [1, .. good[1..]],
            "noframes" => [0],
            "islast2" => [.. good[..^1], 2],
            "truncated" => good[..^2],
            "toolong" => [.. good[..19], 0x00, 0x0f, 0x42, 0x41, .. good[23..]], // 1,000,001
            "trailing" => [.. good, 0xAB],
            _ => throw new ArgumentException(kind),
        };
        var e = Assert.Throws<BatchFormatException>(() => Frame.ParseBatcherData(bad));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void ChannelOut_splits_into_frames_within_the_size_and_reassembles()
    {
        var rnd = new Random(7);
        var ch = new ChannelOut(Id, CompressionAlgorithm.Zlib);
        for (int i = 0; i < 20; i++)
        {
            var tx = new byte[300];
            rnd.NextBytes(tx);
            ch.AddBatch(BatchCodec.EncodeSingular(new SingularBatch(Hash256.Zero, 1, Hash256.Zero, (ulong)i, [tx])));
        }
        var frames = ch.ToFrames(1000);
        Assert.True(frames.Count > 3);
        Assert.All(frames, f => Assert.True(f.EncodedLength <= 1000));
        Assert.Equal(Enumerable.Range(0, frames.Count).Select(i => (ushort)i), frames.Select(f => f.FrameNumber));
        Assert.Equal(new[] { true }, frames.Where(f => f.IsLast).Select(f => f.IsLast));
        Assert.True(frames[^1].IsLast);
        var joined = frames.SelectMany(f => f.Data).ToArray();
        Assert.Equal(ch.Compress(), joined);
    }
}

public class VarintAndBitListTests
{
    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(127UL)]
    [InlineData(128UL)]
    [InlineData(300UL)]
    [InlineData(ulong.MaxValue)]
    public void Uvarint_round_trips(ulong v)
    {
        var o = new List<byte>();
        Uvarint.Write(o, v);
        int pos = 0;
        Assert.Equal(v, Uvarint.Read(o.ToArray(), ref pos, "x"));
        Assert.Equal(o.Count, pos);
        if (v == 300) Assert.Equal(new byte[] { 0xAC, 0x02 }, o);
    }

    [Fact]
    public void Uvarint_rejects_truncation_and_overflow()
    {
        int pos = 0;
        Assert.Throws<BatchFormatException>(() => Uvarint.Read([0x80], ref pos, "x"));
        pos = 0;
        Assert.Throws<BatchFormatException>(() => Uvarint.Read([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02], ref pos, "x"));
    }

    [Fact]
    public void Bit_lists_are_big_endian_integers_with_element_zero_lowest()
    {
        var o = new List<byte>();
        var bits = new bool[10];
        bits[0] = true;
        bits[9] = true;
        BitList.Write(o, bits);
        Assert.Equal(new byte[] { 0x02, 0x01 }, o);
        int pos = 0;
        Assert.Equal(bits, BitList.Read(o.ToArray(), ref pos, 10, "b"));
        pos = 0;
        Assert.Throws<BatchFormatException>(() => BitList.Read([0x04, 0x01], ref pos, 10, "b")); // bit 10 set beyond the count
        pos = 0;
        Assert.Throws<BatchFormatException>(() => BitList.Read([0x01], ref pos, 10, "b"));
    }
}

public class BatchCodecTests
{
    private readonly SpanBatchCodec _codec = new(TestConfig.GenesisTime, 1, 1330660686);

    [Fact]
    public void Singular_batch_round_trips_through_the_channel_encoding()
    {
        var b = new SingularBatch(Keccak256.Compute("p"u8), 7, Keccak256.Compute("e"u8), 1234, [TestConfig.SignedTx(TxType.DynamicFee, 0), TestConfig.SignedTx(TxType.Legacy, 1)]);
        var encoded = BatchCodec.EncodeSingular(b);
        var items = ChannelCompression.SplitRlpStrings(encoded, out var err);
        Assert.Null(err);
        var back = Assert.IsType<SingularBatch>(BatchCodec.Decode(items.Single(), _codec, true));
        Assert.Equal(b, back);
        Assert.Equal(0, items[0][0]);
    }

    [Fact]
    public void Unknown_version_and_malformed_singular_batches_are_rejected()
    {
        Assert.Throws<BatchFormatException>(() => BatchCodec.Decode([2, 0xc0], _codec, true));
        Assert.Throws<BatchFormatException>(() => BatchCodec.Decode([0, 0xc0], _codec, true));
        Assert.Throws<BatchFormatException>(() => BatchCodec.Decode([], _codec, true));
        Assert.Throws<BatchFormatException>(() => BatchCodec.Decode([1, 0], _codec, false));
    }

    private SpanBatch SampleSpan()
    {
        var txs = new[]
        {
            TestConfig.SignedTx(TxType.Legacy, 0, protectedLegacy: true),
            TestConfig.SignedTx(TxType.Legacy, 1, protectedLegacy: false),
            TestConfig.SignedTx(TxType.AccessList, 2),
            TestConfig.SignedTx(TxType.DynamicFee, 3, create: true),
            TestConfig.SignedTx(TxType.DynamicFee, 4),
            TestConfig.SignedTx(TxType.DynamicFee, 5),
        };
        var elements = new List<SpanBatchElement>
        {
            new(10, TestConfig.GenesisTime + 20, [txs[0], txs[1]]),
            new(10, TestConfig.GenesisTime + 21, []),
            new(11, TestConfig.GenesisTime + 22, [txs[2], txs[3]]),
            new(12, TestConfig.GenesisTime + 23, [txs[4]]),
            new(12, TestConfig.GenesisTime + 24, [txs[5]]),
        };
        return SpanBatch.FromBlocks(Keccak256.Compute("parent"u8), Keccak256.Compute("l1-12"u8), firstChangedOrigin: true, elements);
    }

    [Fact]
    public void Span_batch_round_trips_every_transaction_byte_for_byte()
    {
        var span = SampleSpan();
        var encoded = BatchCodec.EncodeSpan(span, _codec);
        var item = ChannelCompression.SplitRlpStrings(encoded, out _).Single();
        Assert.Equal(1, item[0]);
        var back = Assert.IsType<SpanBatch>(BatchCodec.Decode(item, _codec, true));
        Assert.Equal(span, back);
        Assert.Equal(new[] { true, false, true, true, false }, back.OriginBits);
        Assert.Equal(10UL, back.StartEpochNum);
        Assert.Equal(12UL, back.L1OriginNum);
    }

    [Fact]
    public void Span_batch_prefix_follows_the_spec_layout()
    {
        var span = SampleSpan();
        var content = _codec.Encode(span);
        int pos = 0;
        Assert.Equal(20UL, Uvarint.Read(content, ref pos, "rel_timestamp"));
        Assert.Equal(12UL, Uvarint.Read(content, ref pos, "l1_origin_num"));
        Assert.Equal(Keccak256.Compute("parent"u8).Bytes[..20].ToArray(), content[pos..(pos + 20)]);
        Assert.Equal(Keccak256.Compute("l1-12"u8).Bytes[..20].ToArray(), content[(pos + 20)..(pos + 40)]);
        pos += 40;
        Assert.Equal(5UL, Uvarint.Read(content, ref pos, "block_count"));
        Assert.Equal(0b0_1101, content[pos]); // origin bits: blocks 0, 2, 3
        pos++;
        Assert.Equal(new byte[] { 2, 0, 2, 1, 1 }, content[pos..(pos + 5)]);
        pos += 5;
        Assert.Equal(0b00_1000, content[pos]); // contract creation: tx 3
    }

    [Fact]
    public void Span_batch_decoding_rejects_malformed_content()
    {
        var good = _codec.Encode(SampleSpan());
        // block_count 0
        var zero = new List<byte>();
        Uvarint.Write(zero, 0); Uvarint.Write(zero, 0); zero.AddRange(new byte[40]); Uvarint.Write(zero, 0);
        Assert.Throws<BatchFormatException>(() => _codec.Decode(zero.ToArray()));
        // every truncation is an error, never an exception of another kind
        for (int cut = 0; cut < good.Length; cut += 7)
            Assert.Throws<BatchFormatException>(() => _codec.Decode(good[..cut]));
        // more origin changes than the l1 origin number allows
        var tooMany = new List<byte>();
        Uvarint.Write(tooMany, 0); Uvarint.Write(tooMany, 0); tooMany.AddRange(new byte[40]); Uvarint.Write(tooMany, 1); tooMany.Add(1); Uvarint.Write(tooMany, 0);
        tooMany.Add(0); // protected bits (0 legacy) -> none; bit lists of 0 txs take 0 bytes
        Assert.Throws<BatchFormatException>(() => _codec.Decode(tooMany.ToArray()));
        // a block count beyond MAX_SPAN_BATCH_ELEMENT_COUNT
        var huge = new List<byte>();
        Uvarint.Write(huge, 0); Uvarint.Write(huge, 0); huge.AddRange(new byte[40]); Uvarint.Write(huge, 10_000_001);
        Assert.Throws<BatchFormatException>(() => _codec.Decode(huge.ToArray()));
    }

    [Fact]
    public void Span_batches_refuse_blob_transactions_and_foreign_chain_ids_when_encoding()
    {
        var foreign = TestConfig.SignedTx(TxType.DynamicFee, 0, chainId: 1);
        var span = SpanBatch.FromBlocks(Hash256.Zero, Hash256.Zero, false, [new SpanBatchElement(0, TestConfig.GenesisTime + 1, [foreign])]);
        Assert.Throws<ArgumentException>(() => _codec.Encode(span));
    }

    [Fact]
    public void Garbage_never_escapes_as_anything_but_a_format_error()
    {
        var rnd = new Random(42);
        for (int i = 0; i < 2000; i++)
        {
            var data = new byte[rnd.Next(0, 200)];
            rnd.NextBytes(data);
            if (data.Length > 0) data[0] = (byte)(i % 3);
            try { BatchCodec.Decode(data, _codec, true); }
            catch (BatchFormatException) { }
            catch (OverflowException) { }
        }
    }
}

public class CompressionTests
{
    private static byte[] Sample()
    {
        var codec = new SpanBatchCodec(TestConfig.GenesisTime, 1, 1330660686);
        var ms = new MemoryStream();
        for (int i = 0; i < 30; i++)
            ms.Write(BatchCodec.EncodeSingular(new SingularBatch(Hash256.Zero, 1, Hash256.Zero, (ulong)i, [TestConfig.SignedTx(TxType.DynamicFee, (ulong)i)])));
        return ms.ToArray();
    }

    [Theory]
    [InlineData(CompressionAlgorithm.Zlib)]
    [InlineData(CompressionAlgorithm.Brotli)]
    public void Channels_round_trip_and_are_told_apart_by_the_first_byte(CompressionAlgorithm algo)
    {
        var raw = Sample();
        var c = ChannelCompression.Compress(raw, algo);
        if (algo == CompressionAlgorithm.Brotli) Assert.Equal(1, c[0]);
        else Assert.Contains(c[0] & 0x0F, new[] { 8, 15 });
        Assert.Equal(raw, ChannelCompression.Decompress(c, 100_000_000, brotliAllowed: true, out var err));
        Assert.Null(err);
        Assert.True(c.Length < raw.Length);
    }

    [Fact]
    public void Brotli_before_Fjord_and_unknown_versions_are_rejected()
    {
        var c = ChannelCompression.Compress(Sample(), CompressionAlgorithm.Brotli);
        Assert.Empty(ChannelCompression.Decompress(c, 100_000_000, brotliAllowed: false, out var err));
        Assert.Contains("brotli before Fjord", err);
        Assert.Empty(ChannelCompression.Decompress([2, 1, 2, 3], 100_000_000, true, out err));
        Assert.Contains("unknown compression version", err);
    }

    [Fact]
    public void Decompression_stops_at_the_rlp_byte_limit_and_keeps_complete_batches()
    {
        var raw = Sample();
        var c = ChannelCompression.Compress(raw, CompressionAlgorithm.Zlib);
        int limit = raw.Length / 2;
        var out1 = ChannelCompression.Decompress(c, limit, true, out _);
        Assert.Equal(limit, out1.Length);
        var items = ChannelCompression.SplitRlpStrings(out1, out var err);
        Assert.NotNull(err); // the batch cut by the limit
        Assert.InRange(items.Count, 1, 29);
    }

    [Fact]
    public void A_zip_bomb_is_cut_at_the_limit()
    {
        var zeros = new byte[50_000_000];
        var c = ChannelCompression.Compress(zeros, CompressionAlgorithm.Zlib);
        Assert.True(c.Length < 100_000);
        Assert.Equal(10_000_000, ChannelCompression.Decompress(c, 10_000_000, true, out _).Length);
    }

    [Fact]
    public void A_truncated_stream_yields_a_prefix_and_its_complete_batches()
    {
        var raw = Sample();
        var c = ChannelCompression.Compress(raw, CompressionAlgorithm.Zlib, System.IO.Compression.CompressionLevel.NoCompression);
        var got = ChannelCompression.Decompress(c[..(c.Length * 3 / 4)], 100_000_000, true, out _);
        Assert.InRange(got.Length, 1, raw.Length - 1);
        Assert.Equal(raw[..got.Length], got);
        var items = ChannelCompression.SplitRlpStrings(got, out var err);
        Assert.NotNull(err);
        Assert.InRange(items.Count, 15, 29);
    }
}

public class L1AttributesDepositTests
{
    [Fact]
    public void Attributes_start_with_the_chains_L1_attributes_deposit()
    {
        var cfg = TestConfig.Create();
        var l1 = new MemoryL1(TestConfig.GenesisTime);
        var origin = l1.Add();
        var parent = new L2BlockRef(Keccak256.Compute("p"u8), 5, Hash256.Zero, TestConfig.GenesisTime + 5, l1.Blocks[0].Ref.Id, 4);
        var tx = TestConfig.SignedTx(TxType.DynamicFee, 0);
        var batch = new SingularBatch(parent.Hash, 1, origin.Hash, TestConfig.GenesisTime + 6, [tx]);
        var a = AttributesBuilder.Build(batch, origin, cfg.GenesisSystemConfig, parent);
        Assert.Equal(2, a.Transactions.Count);
        Assert.Equal(1, a.DepositCount);
        Assert.Equal(0UL, a.SequenceNumber); // new epoch
        Assert.Equal(origin.MixHash, a.PrevRandao);
        Assert.True(a.NoTxPool);
        Assert.Equal(30_000_000UL, a.GasLimit);
        Assert.Equal(Address.Parse("0x4200000000000000000000000000000000000011"), a.SuggestedFeeRecipient);
        var deposit = TxDecoder.Decode(a.Transactions[0]);
        Assert.True(deposit.IsDeposit);
        Assert.Equal(Address.Parse("0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001"), deposit.DepositFrom);
        Assert.Equal(Address.Parse("0x4200000000000000000000000000000000000015"), deposit.To);
        Assert.Equal(1_000_000UL, deposit.GasLimit);
        Assert.Equal(DepositSource.L1InfoDeposit(origin.Hash, 0), deposit.SourceHash);
        var info = OpenLedger.Chain.Rollup.L1BlockInfo.Decode(deposit.Data);
        Assert.Equal(origin.Number, info.Number);
        Assert.Equal(origin.Time, info.Timestamp);
        Assert.Equal(origin.BaseFee, info.BaseFee);
        Assert.Equal(1368u, info.SystemConfig.BaseFeeScalar);
        Assert.Equal(810949u, info.SystemConfig.BlobBaseFeeScalar);
        Assert.Equal(cfg.GenesisSystemConfig.BatcherHash, info.SystemConfig.BatcherHash);
        Assert.Equal(tx, a.Transactions[1]);

        // same epoch: sequence number continues
        var parent2 = parent with { L1Origin = origin.Ref.Id, SequenceNumber = 3 };
        Assert.Equal(4UL, AttributesBuilder.Build(batch with { ParentHash = parent2.Hash }, origin, cfg.GenesisSystemConfig, parent2).SequenceNumber);
        Assert.Throws<ArgumentException>(() => AttributesBuilder.Build(batch with { EpochHash = Hash256.Zero }, origin, cfg.GenesisSystemConfig, parent));
    }
}
