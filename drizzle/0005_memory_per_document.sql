CREATE TABLE `memory_document_labels` (
	`document_id` integer NOT NULL,
	`surface_id` integer NOT NULL,
	`label` text NOT NULL,
	`count` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`surface_id`) REFERENCES `memory_surfaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `memory_document_labels_document_surface_label_idx` ON `memory_document_labels` (`document_id`,`surface_id`,`label`);--> statement-breakpoint
CREATE INDEX `memory_document_labels_surface_idx` ON `memory_document_labels` (`surface_id`);--> statement-breakpoint
CREATE TABLE `memory_document_unlabelled` (
	`document_id` integer NOT NULL,
	`surface_id` integer NOT NULL,
	`count` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`surface_id`) REFERENCES `memory_surfaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `memory_document_unlabelled_document_surface_idx` ON `memory_document_unlabelled` (`document_id`,`surface_id`);--> statement-breakpoint
CREATE INDEX `memory_document_unlabelled_surface_idx` ON `memory_document_unlabelled` (`surface_id`);