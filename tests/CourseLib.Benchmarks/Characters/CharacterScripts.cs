namespace CourseLib.Benchmarks.CharacterSet;

/// <summary>One script of the character set: its code point ranges and the Noto font families that draw it.</summary>
/// <param name="Name">The script's name.</param>
/// <param name="Evaluation">An evaluation script (never trained on) rather than a background script.</param>
/// <param name="Ranges">Inclusive code point ranges to take letters from.</param>
/// <param name="Families">Noto family file prefixes, e.g. "NotoSansArmenian"; each is used in the weights that exist.</param>
sealed record ScriptSpec(string Name, bool Evaluation, (int First, int Last)[] Ranges, string[] Families);

/// <summary>The scripts, in the order classes are numbered (background first; duplicates are dropped in this order).</summary>
static class CharacterScripts
{
    /// <summary>The weights each family is drawn in, where the font package has that file.</summary>
    public static readonly string[] Weights = ["Light", "Regular", "Bold"];

    public static readonly ScriptSpec[] All =
    [
        // Background scripts (training).
        new("Latin", false, [(0x41, 0x5A)], ["NotoSans", "NotoSerif"]),
        new("Greek", false, [(0x391, 0x3A9)], ["NotoSans", "NotoSerif"]),
        new("Cyrillic", false, [(0x410, 0x42F)], ["NotoSans", "NotoSerif"]),
        new("Armenian", false, [(0x531, 0x556)], ["NotoSansArmenian", "NotoSerifArmenian"]),
        new("Hebrew", false, [(0x5D0, 0x5EA)], ["NotoSansHebrew", "NotoSerifHebrew", "NotoRashiHebrew"]),
        new("Arabic", false, [(0x621, 0x64A)], ["NotoSansArabic", "NotoNaskhArabic", "NotoKufiArabic"]),
        new("Devanagari", false, [(0x904, 0x939)], ["NotoSansDevanagari", "NotoSerifDevanagari"]),
        new("Bengali", false, [(0x985, 0x9B9)], ["NotoSansBengali", "NotoSerifBengali"]),
        new("Gujarati", false, [(0xA85, 0xAB9)], ["NotoSansGujarati", "NotoSerifGujarati"]),
        new("Tamil", false, [(0xB85, 0xBB9)], ["NotoSansTamil", "NotoSerifTamil"]),
        new("Kannada", false, [(0xC85, 0xCB9)], ["NotoSansKannada", "NotoSerifKannada"]),
        new("Sinhala", false, [(0xD85, 0xDC6)], ["NotoSansSinhala", "NotoSerifSinhala"]),
        new("Thai", false, [(0xE01, 0xE2E)], ["NotoSansThai", "NotoSerifThai", "NotoLoopedThai"]),
        new("Tibetan", false, [(0xF40, 0xF6C)], ["NotoSerifTibetan"]),
        new("Myanmar", false, [(0x1000, 0x102A)], ["NotoSansMyanmar", "NotoSerifMyanmar"]),
        new("Ethiopic", false, [(0x1200, 0x135A)], ["NotoSansEthiopic", "NotoSerifEthiopic"]),
        new("Cherokee", false, [(0x13A0, 0x13F4)], ["NotoSansCherokee"]),
        new("Canadian Aboriginal", false, [(0x1401, 0x166C)], ["NotoSansCanadianAboriginal"]),
        new("Runic", false, [(0x16A0, 0x16EA)], ["NotoSansRunic"]),
        new("Khmer", false, [(0x1780, 0x17B3)], ["NotoSansKhmer", "NotoSerifKhmer"]),
        new("Tifinagh", false, [(0x2D30, 0x2D67)], ["NotoSansTifinagh", "NotoSansTifinaghAPT", "NotoSansTifinaghAdrar", "NotoSansTifinaghAhaggar",
                                                     "NotoSansTifinaghAir", "NotoSansTifinaghAzawagh", "NotoSansTifinaghGhat", "NotoSansTifinaghHawad"]),
        new("Vai", false, [(0xA500, 0xA60B)], ["NotoSansVai"]),
        new("Yi", false, [(0xA000, 0xA48C)], ["NotoSansYi"]),
        new("Glagolitic", false, [(0x2C00, 0x2C2E)], ["NotoSansGlagolitic"]),
        new("Coptic", false, [(0x2C80, 0x2CB1)], ["NotoSansCoptic"]),
        new("Deseret", false, [(0x10400, 0x10427)], ["NotoSansDeseret"]),
        new("Linear B", false, [(0x10000, 0x1005D)], ["NotoSansLinearB"]),
        new("Old Italic", false, [(0x10300, 0x1031F)], ["NotoSansOldItalic"]),
        new("Mongolian", false, [(0x1820, 0x1842)], ["NotoSansMongolian"]),
        // Evaluation scripts (one-shot tests only).
        new("Georgian", true, [(0x10D0, 0x10FA)], ["NotoSansGeorgian", "NotoSerifGeorgian"]),
        new("Syriac", true, [(0x710, 0x72F)], ["NotoSansSyriac"]),
        new("Thaana", true, [(0x780, 0x7A5)], ["NotoSansThaana"]),
        new("N'Ko", true, [(0x7CA, 0x7EA)], ["NotoSansNKo"]),
        new("Gurmukhi", true, [(0xA05, 0xA39)], ["NotoSansGurmukhi", "NotoSerifGurmukhi"]),
        new("Oriya", true, [(0xB05, 0xB39)], ["NotoSansOriya"]),
        new("Telugu", true, [(0xC05, 0xC39)], ["NotoSansTelugu", "NotoSerifTelugu"]),
        new("Malayalam", true, [(0xD05, 0xD3A)], ["NotoSansMalayalam", "NotoSerifMalayalam"]),
        new("Lao", true, [(0xE81, 0xEAE)], ["NotoSansLao", "NotoSerifLao", "NotoLoopedLao"]),
        new("Balinese", true, [(0x1B05, 0x1B33)], ["NotoSansBalinese", "NotoSerifBalinese"]),
        new("Javanese", true, [(0xA984, 0xA9B2)], ["NotoSansJavanese"]),
        new("Bamum", true, [(0xA6A0, 0xA6E5)], ["NotoSansBamum"]),
        new("Ol Chiki", true, [(0x1C5A, 0x1C77)], ["NotoSansOlChiki"]),
        new("Osage", true, [(0x104B0, 0x104D3)], ["NotoSansOsage"]),
        new("Old Turkic", true, [(0x10C00, 0x10C48)], ["NotoSansOldTurkic"]),
        new("Gothic", true, [(0x10330, 0x1034A)], ["NotoSansGothic"]),
        new("Phoenician", true, [(0x10900, 0x10915)], ["NotoSansPhoenician"]),
        new("Adlam", true, [(0x1E900, 0x1E921)], ["NotoSansAdlam"]),
    ];
}
