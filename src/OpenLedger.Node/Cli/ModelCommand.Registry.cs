using System.CommandLine;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Provenance;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Cli;

/// <summary>`model train --datanet` (a Datanet version as training data), `model register` (ModelRegistry) and `model export-gguf`.</summary>
public static partial class ModelCommand
{
    private const string KeyVariable = "OPENLEDGER_PRIVATE_KEY";

    private sealed class DatanetOpts
    {
        public readonly Option<ulong?> Datanet = new("--datanet") { Description = "Train on a Datanet version: the Datanet id (with --version and --api)." };
        public readonly Option<ulong?> Version = new("--version") { Description = "The published version of --datanet." };
        public readonly Option<string?> Api = new("--api") { Description = "Datanets REST API base URL (e.g. http://127.0.0.1:8547)." };
        public readonly Option<string?> Rpc = new("--rpc") { Description = "L2 JSON-RPC URL, to check the version root against DatanetRegistry (with --registry)." };
        public readonly Option<string?> Registry = new("--registry") { Description = "DatanetRegistry address." };

        public IEnumerable<Option> All => [Datanet, Version, Api, Rpc, Registry];

        public ModelFactory.TrainingSource Read(ParseResult p, string? data, string format)
        {
            var id = p.GetValue(Datanet);
            if (id == null)
            {
                foreach (var o in new Option[] { Version, Api, Rpc, Registry })
                    if (p.GetResult(o) != null) throw new CliException($"{o.Name} is for training on a Datanet version: give --datanet too", CliApp.UsageError);
                return ModelFactory.LocalDataset(AttributionCommand.Require(data, "--data"), format);
            }
            if (data != null) throw new CliException("give --data or --datanet, not both", CliApp.UsageError);
            ulong version = p.GetValue(Version) ?? throw new CliException("--datanet needs --version (a published version number)", CliApp.UsageError);
            if (version == 0) throw new CliException("--version: versions start at 1", CliApp.UsageError);
            string api = AttributionCommand.Require(p.GetValue(Api), "--api");
            string? rpc = p.GetValue(Rpc), reg = p.GetValue(Registry);
            ChainEndpoint? chain = null;
            if (rpc != null || reg != null)
                chain = new ChainEndpoint(AttributionCommand.Require(rpc, "--rpc"), ParseAddress(AttributionCommand.Require(reg, "--registry"), "--registry"));
            else
                Console.Error.WriteLine("warning: no --rpc/--registry: the version root is taken from the Datanets API, not checked against DatanetRegistry (provenance.json records rootCheckedOnChain: false)");
            var source = ModelFactory.DatanetVersionAsync(api, id.Value, version, chain, format).GetAwaiter().GetResult();
            Console.Error.WriteLine($"Datanet {id} version {version}: {source.Examples.Count} contributions, each checked against its content hash and proven under root {source.DatanetVersions[0].Ref.Root}");
            return source;
        }
    }

    private static Address ParseAddress(string text, string option) =>
        Address.TryParse(text, out var a) ? a : throw new CliException($"{option}: '{text}' is not a 20-byte hex address", CliApp.UsageError);

    private static Command Register()
    {
        var adapter = Path("--adapter", "Adapter directory written by `model train` (adapter_model.safetensors, provenance.json).");
        var rpc = Path("--rpc", "L2 JSON-RPC URL.");
        var registry = Path("--registry", "ModelRegistry address.");
        var key = Path("--private-key", $"Owner key (hex); default ${KeyVariable}.");
        var price = Opt("--price-per-1k", "Inference price per 1,000 tokens, in wei.", "0");
        var baseName = Path("--base", "Base model name to record (default: the base model directory's name).");
        var meta = Opt("--metadata-uri", "Metadata URI to record.", "");
        var cmd = new Command("register", "Register a trained LoRA adapter in ModelRegistry with its provenance; prints the model id.")
            { adapter, rpc, registry, key, price, baseName, meta };
        cmd.SetAction(p => Guard(() =>
        {
            string keyText = p.GetValue(key) ?? Environment.GetEnvironmentVariable(KeyVariable)
                ?? throw new CliException($"--private-key (or {KeyVariable}) is required: the key of the model's owner", CliApp.UsageError);
            if (!Hex.TryDecode(keyText.Trim(), out var keyBytes) || keyBytes.Length != 32)
                throw new CliException($"--private-key (or {KeyVariable}) must be a 32-byte hex key", CliApp.UsageError);
            if (!UInt256.TryParse(p.GetValue(price), out var wei) || wei >= (UInt256.One << 128))
                throw new CliException($"--price-per-1k: '{p.GetValue(price)}' is not a wei amount below 2^128", CliApp.UsageError);
            var request = new RegistrationRequest(AttributionCommand.Require(p.GetValue(adapter), "--adapter"), AttributionCommand.Require(p.GetValue(rpc), "--rpc"),
                ParseAddress(AttributionCommand.Require(p.GetValue(registry), "--registry"), "--registry"), keyBytes, wei, p.GetValue(baseName), p.GetValue(meta) ?? "");
            var r = ModelFactory.RegisterAsync(request).GetAwaiter().GetResult();
            Console.WriteLine(r.ModelId);
            Console.Error.WriteLine($"registered model {r.ModelId} (tx {r.TransactionHash}): adapter {r.AdapterHash}, training config {r.TrainingConfigHash}, base '{r.BaseModel}', "
                + $"{r.TrainedOn.Count} Datanet version(s){string.Concat(r.TrainedOn.Select(v => $"; Datanet {v.DatanetId} v{v.Version} root {v.Root}"))}");
            return CliApp.Ok;
        }));
        return cmd;
    }

    private static Command ExportGguf()
    {
        var model = Path("--model", "Base model directory (Hugging Face layout).");
        var adapter = Path("--adapter", "A PEFT LoRA adapter to merge into the weights first.");
        var output = Path("--out", "GGUF file to write.");
        var type = Opt("--type", "f32 or f16 (norms stay f32).", "f32");
        var name = Path("--name", "general.name (default: the model directory's name).");
        var cmd = new Command("export-gguf", "Write the model (optionally with a LoRA adapter merged) as GGUF for llama.cpp.") { model, adapter, output, type, name };
        cmd.SetAction(p => Guard(() =>
        {
            var t = p.GetValue(type) switch
            {
                "f32" => AI.Export.GgmlType.F32,
                "f16" => AI.Export.GgmlType.F16,
                var other => throw new CliException($"--type: '{other}' is not f32 or f16", CliApp.UsageError),
            };
            string file = AttributionCommand.Require(p.GetValue(output), "--out");
            ModelFactory.ExportGguf(AttributionCommand.Require(p.GetValue(model), "--model"), p.GetValue(adapter), file, t, p.GetValue(name));
            Console.WriteLine($"wrote {file} ({new FileInfo(file).Length:N0} bytes, {p.GetValue(type)})");
            return CliApp.Ok;
        }));
        return cmd;
    }
}
