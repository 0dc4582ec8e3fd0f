// Submit the as-of year selector on change (the form also has a button for no-JS use).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field) field.form.submit();
});
