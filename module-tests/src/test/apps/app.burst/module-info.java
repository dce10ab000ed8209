module app.burst {
    requires java.logging;
}
