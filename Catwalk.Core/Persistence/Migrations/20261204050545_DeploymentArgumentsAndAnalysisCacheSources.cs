using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catwalk.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DeploymentArgumentsAndAnalysisCacheSources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_analysis_cache_NormalizedRepoUrl",
                table: "analysis_cache");

            migrationBuilder.AddColumn<List<string>>(
                name: "Arguments",
                table: "deployments",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<string>(
                name: "SourcesKey",
                table: "analysis_cache",
                type: "character varying(1024)",
                maxLength: 1024,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_analysis_cache_NormalizedRepoUrl_SourcesKey",
                table: "analysis_cache",
                columns: new[] { "NormalizedRepoUrl", "SourcesKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_analysis_cache_NormalizedRepoUrl_SourcesKey",
                table: "analysis_cache");

            migrationBuilder.DropColumn(
                name: "Arguments",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "SourcesKey",
                table: "analysis_cache");

            migrationBuilder.CreateIndex(
                name: "IX_analysis_cache_NormalizedRepoUrl",
                table: "analysis_cache",
                column: "NormalizedRepoUrl",
                unique: true);
        }
    }
}
