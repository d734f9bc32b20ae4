// The sign-in screen: an API key or a bearer token, checked with one call before it is kept.
import { createApi, describeError, type Api } from "../api";
import { saveCredentials, type Credentials } from "../session";

export function showSignIn(onSignedIn: (api: Api) => void, problem?: string): void {
  const screen = document.getElementById("sign-in")!;
  const form = document.getElementById("sign-in-form") as HTMLFormElement;
  const error = document.getElementById("sign-in-error")!;
  screen.hidden = false;
  showProblem(error, problem);
  form.onsubmit = async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const credentials: Credentials = { kind: data.get("kind") === "bearer" ? "bearer" : "api-key", secret: String(data.get("secret")).trim() };
    const problem = await checkCredentials(credentials);
    showProblem(error, problem);
    if (problem) return;
    saveCredentials(credentials);
    form.reset();
    screen.hidden = true;
    onSignedIn(createApi(credentials));
  };
}

/** Why these credentials cannot open the dashboard, or undefined when they can. */
export async function checkCredentials(credentials: Credentials): Promise<string | undefined> {
  try {
    await createApi(credentials).ranking.getConcentration({});
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}

function showProblem(element: HTMLElement, problem: string | undefined): void {
  element.textContent = problem ?? "";
  element.hidden = !problem;
}
