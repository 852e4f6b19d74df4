using Catwalk.Core.Persistence;
using Npgsql;

namespace Catwalk.Tests.Persistence;

public sealed class DatabaseUrlTests
{
    private static NpgsqlConnectionStringBuilder Convert(string url) => new(DatabaseUrl.ToConnectionString(url));

    [Fact]
    public void Fly_url_form_becomes_npgsql_keywords()
    {
        var cs = Convert("postgres://catwalk:s3cret@db.internal:5433/catwalk_prod?sslmode=require");

        cs.Host.Should().Be("db.internal");
        cs.Port.Should().Be(5433);
        cs.Username.Should().Be("catwalk");
        cs.Password.Should().Be("s3cret");
        cs.Database.Should().Be("catwalk_prod");
        cs.SslMode.Should().Be(SslMode.Require);
    }

    [Fact]
    public void Percent_encoded_special_characters_in_the_password_are_decoded()
    {
        var cs = Convert("postgresql://user%40corp:p%40ss%3Aw%2Frd%23%3F%25@host/db");

        cs.Username.Should().Be("user@corp");
        cs.Password.Should().Be("p@ss:w/rd#?%");
    }

    [Fact]
    public void Ipv6_hosts_lose_their_brackets_and_keep_the_port()
    {
        var cs = Convert("postgres://u:p@[fdaa:0:1:2::3]:5432/app");

        cs.Host.Should().Be("fdaa:0:1:2::3");
        cs.Port.Should().Be(5432);
    }

    [Fact]
    public void Missing_port_defaults_to_5432_and_sslmode_variants_map()
    {
        Convert("postgres://u:p@h/db").Port.Should().Be(5432);
        Convert("postgres://u:p@h/db?sslmode=disable").SslMode.Should().Be(SslMode.Disable);
        Convert("postgres://u:p@h/db?sslmode=verify-full").SslMode.Should().Be(SslMode.VerifyFull);
    }

    [Fact]
    public void Keyword_form_passes_through()
    {
        var cs = Convert("Host=localhost;Port=6543;Database=x;Username=y;Password=z");

        cs.Port.Should().Be(6543);
        cs.Database.Should().Be("x");
    }

    [Theory]
    [InlineData("mysql://u:p@h/db")]
    [InlineData("postgres://u:p@h/db?sslmode=sometimes")]
    [InlineData("NotAKey=1")]
    public void Invalid_values_name_the_variable_and_the_accepted_forms(string url)
    {
        var act = () => DatabaseUrl.ToConnectionString(url);

        act.Should().Throw<InvalidOperationException>().WithMessage("*DATABASE_URL*postgres://*");
    }
}
