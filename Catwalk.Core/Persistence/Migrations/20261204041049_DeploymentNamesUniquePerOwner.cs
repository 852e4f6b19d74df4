using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catwalk.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DeploymentNamesUniquePerOwner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_deployments_OwnerId",
                table: "deployments");

            // Names already shared by one owner's deployments: every one but the oldest gets a short suffix of its id,
            // still a valid name (at most 63 lowercase letters, digits and hyphens).
            migrationBuilder.Sql("""
                UPDATE deployments d
                SET "Name" = left(d."Name", 58) || '-' || substr(md5(d."Id"::text), 1, 4)
                WHERE EXISTS (
                    SELECT 1 FROM deployments o
                    WHERE o."OwnerId" = d."OwnerId" AND o."Name" = d."Name"
                      AND (o."CreatedAt", o."Id") < (d."CreatedAt", d."Id"));
                """);

            migrationBuilder.CreateIndex(
                name: "IX_deployments_OwnerId_Name",
                table: "deployments",
                columns: new[] { "OwnerId", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_deployments_OwnerId_Name",
                table: "deployments");

            migrationBuilder.CreateIndex(
                name: "IX_deployments_OwnerId",
                table: "deployments",
                column: "OwnerId");
        }
    }
}
