using OpenLedger.Attribution.Records;
using OpenLedger.Attribution.Shares;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Attribution.Spans;
using OpenLedger.Primitives;

namespace OpenLedger.Attribution.Tests;

public class AttributionRecordTests
{
    private static readonly ContributionShare[] Shares = [new(3, 2500), new(8, 7500)];

    [Fact]
    public void Sketch_record_encoding_is_byte_exact()
    {
        var sketch = new Sketch([1, -1, 127, -127], 0x01020304);
        var r = AttributionRecord.ForSketch(TestData.ModelId(1), TestData.ModelId(2), sketch, new UInt256(1000), Shares);
        var e = r.Encode();
        Assert.Equal(1 + 32 + 32 + 1 + 4 + 4 + 4 + 32 + 4 + 20, e.Length);
        Assert.Equal(1, e[0]);
        Assert.Equal((byte)AttributionMethod.GradientSketch, e[65]);
        Assert.Equal(new byte[] { 0, 0, 0, 4, 1, 2, 3, 4, 0x01, 0xFF, 0x7F, 0x81 }, e[66..78]);
        Assert.Equal(new byte[] { 0x03, 0xE8 }, e[108..110]); // fee 1000, last two bytes of the 32-byte word
        Assert.Equal(new byte[] { 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0x09, 0xC4 }, e[110..124]);
        Assert.Equal(Keccak256.Compute(e), r.Hash());
    }

    [Fact]
    public void Records_round_trip_and_any_change_changes_the_hash()
    {
        var spans = new[] { new MatchedSpan(4, 12, 2), new MatchedSpan(30, 8, 1) };
        var r = AttributionRecord.ForSpans(TestData.ModelId(1), TestData.ModelId(2), spans, new UInt256(5), Shares);
        var back = AttributionRecord.Decode(r.Encode());
        Assert.Equal(r.Encode(), back.Encode());
        Assert.Equal(spans, back.Spans);

        var other = AttributionRecord.ForSpans(TestData.ModelId(1), TestData.ModelId(2), spans, new UInt256(6), Shares);
        Assert.NotEqual(r.Hash(), other.Hash());
    }

    [Fact]
    public void Non_canonical_records_are_rejected()
    {
        var m = TestData.ModelId(1);
        Assert.Throws<ArgumentException>(() => AttributionRecord.ForSpans(m, m, [], 1, [new(8, 7500), new(3, 2500)]));
        Assert.Throws<ArgumentException>(() => AttributionRecord.ForSpans(m, m, [], 1, [new(3, 2500), new(8, 7499)]));
        Assert.Throws<ArgumentException>(() => AttributionRecord.ForSpans(m, m, [], 1, [new(3, 0), new(8, 10000)]));
        var good = AttributionRecord.ForSpans(m, m, [], 1, Shares).Encode();
        Assert.Throws<InvalidDataException>(() => AttributionRecord.Decode(good[..^1]));
        Assert.Throws<InvalidDataException>(() => AttributionRecord.Decode([.. good, 0]));
        var badVersion = (byte[])good.Clone(); badVersion[0] = 2;
        Assert.Throws<InvalidDataException>(() => AttributionRecord.Decode(badVersion));
    }

    [Fact]
    public void Json_form_round_trips_and_a_wrong_hash_is_caught()
    {
        var sketch = new Sketch([5, -7, 0, 127], 99);
        var r = AttributionRecord.ForSketch(TestData.ModelId(1), TestData.ModelId(2), sketch, UInt256.Parse("123456789012345678901234567890"), Shares);
        var json = AttributionRecordJson.ToJson(r);
        Assert.Equal(r.Encode(), AttributionRecordJson.FromJson(System.Text.Json.Nodes.JsonNode.Parse(json.ToJsonString())!).Encode());

        json["fee"] = "1";
        Assert.Contains("hash", Assert.Throws<FormatException>(() => AttributionRecordJson.FromJson(json)).Message);
        json.Remove("hash");
        json.Remove("shares");
        Assert.Contains("shares", Assert.Throws<FormatException>(() => AttributionRecordJson.FromJson(json)).Message);
    }
}
