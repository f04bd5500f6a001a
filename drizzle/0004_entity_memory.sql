CREATE TABLE `memory_labels` (
	`surface_id` integer NOT NULL,
	`label` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`surface_id`) REFERENCES `memory_surfaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `memory_labels_surface_label_idx` ON `memory_labels` (`surface_id`,`label`);--> statement-breakpoint
CREATE TABLE `memory_surfaces` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`surface` text NOT NULL,
	`unlabelled_count` integer DEFAULT 0 NOT NULL,
	`forced_label` text,
	`blocked` integer DEFAULT false NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `memory_surfaces_project_surface_idx` ON `memory_surfaces` (`project_id`,`surface`);