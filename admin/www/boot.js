// Starts the dashboard's wasm (its `start` export mounts the app on <body>).
import init from "./admin.js";

init({ module_or_path: new URL("admin_bg.wasm", import.meta.url) }).catch((error) => {
  document.body.textContent = "The dashboard could not start: " + error;
});
