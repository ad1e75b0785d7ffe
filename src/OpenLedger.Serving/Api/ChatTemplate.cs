using System.Text;

namespace OpenLedger.Serving.Api;

/// <summary>A chat message after validation: role "system", "user" or "assistant".</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>
/// The chat template of our base models: the prompt layout ModelFactory trains on (DatasetLoader's alpaca/sharegpt
/// format), so a fine-tuned adapter sees in chat what it saw in training:
/// system content + "\n\n", each user turn "### Instruction:\n{content}\n\n", each earlier assistant turn
/// "### Response:\n{content}\n\n", and "### Response:\n" to open the answer. No special tokens, no BOS.
/// (tokenizer_config.json's chat_template is not read.)
/// </summary>
public static class ChatTemplate
{
    public static string Render(IReadOnlyList<ChatMessage> messages)
    {
        var sb = new StringBuilder();
        foreach (var m in messages)
        {
            switch (m.Role)
            {
                case "system": sb.Append(m.Content).Append("\n\n"); break;
                case "user": sb.Append("### Instruction:\n").Append(m.Content).Append("\n\n"); break;
                case "assistant": sb.Append("### Response:\n").Append(m.Content).Append("\n\n"); break;
                default: throw new ArgumentException($"unknown role '{m.Role}'");
            }
        }
        return sb.Append("### Response:\n").ToString();
    }
}
