/** People, named first (filled in against the people contract). */
class PeopleManager {
  async reload(): Promise<void> {}
}
export const people = new PeopleManager();
