using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catwalk.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MachineSecrets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "machine_secrets",
                columns: table => new
                {
                    MachineId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    DeploymentId = table.Column<Guid>(type: "uuid", nullable: false),
                    FernetToken = table.Column<string>(type: "text", nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_machine_secrets", x => x.MachineId);
                    table.ForeignKey(
                        name: "FK_machine_secrets_deployments_DeploymentId",
                        column: x => x.DeploymentId,
                        principalTable: "deployments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_machine_secrets_DeploymentId",
                table: "machine_secrets",
                column: "DeploymentId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "machine_secrets");
        }
    }
}
