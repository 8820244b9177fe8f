// Form checks for the browser suite (filled in once the forms are on the site).
export async function formChecks() {}
