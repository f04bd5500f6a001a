CREATE TABLE `assignments` (
	`project_id` integer NOT NULL,
	`document_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assignments_document_user_idx` ON `assignments` (`document_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `assignments_project_user_idx` ON `assignments` (`project_id`,`user_id`,`document_id`);