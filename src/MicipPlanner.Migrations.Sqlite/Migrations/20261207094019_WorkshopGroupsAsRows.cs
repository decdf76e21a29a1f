using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MicipPlanner.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WorkshopGroupsAsRows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "WorkshopGroups",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DistrictId = table.Column<int>(type: "INTEGER", nullable: false),
                    WorkshopId = table.Column<int>(type: "INTEGER", nullable: false),
                    RatingGroupId = table.Column<int>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkshopGroups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WorkshopGroups_RatingGroups_RatingGroupId",
                        column: x => x.RatingGroupId,
                        principalTable: "RatingGroups",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_WorkshopGroups_Workshops_WorkshopId",
                        column: x => x.WorkshopId,
                        principalTable: "Workshops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_WorkshopGroups_RatingGroupId",
                table: "WorkshopGroups",
                column: "RatingGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkshopGroups_WorkshopId_RatingGroupId",
                table: "WorkshopGroups",
                columns: new[] { "WorkshopId", "RatingGroupId" },
                unique: true);

            // Each workshop's comma-separated group ids become rows, in the order they were listed; ids of groups
            // deleted since are dropped. The version is a new random Guid in the text form the provider stores.
            migrationBuilder.Sql("""
                INSERT INTO "WorkshopGroups" ("DistrictId", "WorkshopId", "RatingGroupId", "Position", "Version")
                SELECT "DistrictId", "WorkshopId", "RatingGroupId", "Position",
                       substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' || substr(h, 17, 4) || '-' || substr(h, 21, 12)
                FROM (
                    SELECT w."DistrictId", w."Id" AS "WorkshopId", g."Id" AS "RatingGroupId", MIN(CAST(listed."key" AS INTEGER)) AS "Position",
                           hex(randomblob(16)) AS h
                    FROM "Workshops" AS w, json_each('[' || w."GroupIds" || ']') AS listed
                    JOIN "RatingGroups" AS g ON g."Id" = listed."value"
                    GROUP BY w."DistrictId", w."Id", g."Id"
                );
                """);

            migrationBuilder.DropColumn(
                name: "GroupIds",
                table: "Workshops");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "GroupIds",
                table: "Workshops",
                type: "TEXT",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.Sql("""
                UPDATE "Workshops" SET "GroupIds" = COALESCE((
                    SELECT group_concat("RatingGroupId", ',')
                    FROM (SELECT "RatingGroupId" FROM "WorkshopGroups" WHERE "WorkshopId" = "Workshops"."Id" ORDER BY "Position")
                ), '');
                """);

            migrationBuilder.DropTable(
                name: "WorkshopGroups");
        }
    }
}
