module app.mbean {
    requires java.logging;
    requires java.management;
}
