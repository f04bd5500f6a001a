import type { Db } from './lib/server/db/client';
import type { Project } from './lib/server/db/projects';
import type { User } from './lib/server/db/users';

declare global {
	namespace App {
		interface Locals {
			db: Db;
			project: Project;
			user: User | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
