namespace Kaito.Runtime.Kaito;

/// <summary>
/// transformers' clean_up_tokenization: removes the spaces a word-level detokenizer leaves before punctuation and
/// English contractions (" ." to ".", " n't" to "n't").
/// </summary>
public static class TokenizationSpaces
{
    private static readonly (string From, string To)[] Replacements =
    [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"),
        (" n't", "n't"), (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ];

    public static string CleanUp(string text)
    {
        foreach (var (from, to) in Replacements)
        {
            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        return text;
    }
}
