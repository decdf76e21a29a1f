using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MicipPlanner.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PlanFilingAndBuildings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "SourceActionItemId",
                table: "PlanActivities",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PlanActivityBuildings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DistrictId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActivityId = table.Column<int>(type: "INTEGER", nullable: false),
                    BuildingId = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlanActivityBuildings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlanActivityBuildings_Buildings_BuildingId",
                        column: x => x.BuildingId,
                        principalTable: "Buildings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PlanActivityBuildings_PlanActivities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "PlanActivities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PlanActivities_SourceActionItemId",
                table: "PlanActivities",
                column: "SourceActionItemId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PlanActivityBuildings_ActivityId_BuildingId",
                table: "PlanActivityBuildings",
                columns: new[] { "ActivityId", "BuildingId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PlanActivityBuildings_BuildingId",
                table: "PlanActivityBuildings",
                column: "BuildingId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanActivityBuildings_DistrictId",
                table: "PlanActivityBuildings",
                column: "DistrictId");

            migrationBuilder.AddForeignKey(
                name: "FK_PlanActivities_ActionItems_SourceActionItemId",
                table: "PlanActivities",
                column: "SourceActionItemId",
                principalTable: "ActionItems",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_PlanActivities_ActionItems_SourceActionItemId",
                table: "PlanActivities");

            migrationBuilder.DropTable(
                name: "PlanActivityBuildings");

            migrationBuilder.DropIndex(
                name: "IX_PlanActivities_SourceActionItemId",
                table: "PlanActivities");

            migrationBuilder.DropColumn(
                name: "SourceActionItemId",
                table: "PlanActivities");
        }
    }
}
