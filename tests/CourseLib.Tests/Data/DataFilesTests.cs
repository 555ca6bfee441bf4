using CourseLib.Data;

namespace CourseLib.Tests.Data;

[Trait("Category", "unit")]
public class DataFilesTests
{
    [Fact]
    public void Every_shipped_file_is_found_in_the_one_data_folder()
    {
        var folder = DataFiles.Folder;
        foreach (var name in new[] { "digits.csv.gz", "characters.bin.gz", "pong-reinforce.policy", "pong-reinforce-history.csv" })
            Assert.Equal(Path.Combine(folder, name), DataFiles.Find(name));
        Assert.Equal(DataFiles.Find("pong-reinforce.policy"), CourseLib.PolicyGradient.PongPlay.TrainedPolicyPath);
    }

    [Fact]
    public void A_missing_file_says_where_it_looked_and_how_to_point_at_the_folder()
    {
        var error = Assert.Throws<FileNotFoundException>(() => DataFiles.Find("no-such-file.csv.gz"));
        Assert.Contains(DataFiles.FolderVariable, error.Message);
        Assert.Throws<ArgumentException>(() => DataFiles.Find(""));
    }
}
