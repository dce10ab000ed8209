module app.plain {
    requires java.logging;
}
