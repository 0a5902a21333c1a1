import type { RequestScope } from '../../context';

/** Use cases of enrollments (see the module's resolver). */
export class EnrollmentService {
  constructor(private readonly scope: RequestScope) {}
}
