// The starter's acceptance checks, after the generated project's `mvn verify dependency:tree` passed
// (its tests ran in memory and on the embedded AWS stack, its CDK app compiled).

// The generated project's directory (the hook may be given it, or the test project's directory).
File project = [basedir, new File(basedir, 'project/greetings')].find { new File(it, 'app/pom.xml').isFile() }
assert project != null : "no generated project under ${basedir}"

// The Lambda bundle is built and holds the handlers, the workflow and its setup.
File bundle = new File(project, 'app/target/greetings-lambda.jar')
assert bundle.isFile() : "no Lambda bundle at ${bundle}"
def entries = new java.util.zip.ZipFile(bundle).withCloseable { z -> z.entries().collect { it.name } as Set }
['dev/tempora/lambda/coordinator/WorkflowTaskHandler.class', 'dev/tempora/lambda/activity/ActivityTaskHandler.class',
 'com/example/greetings/GreetingWorkflowImpl.class', 'com/example/greetings/GreetingSetup.class'].each {
  assert entries.contains(it) : "the bundle lacks ${it}"
}
// The embedded stack is for tests: none of it rides in the bundle.
assert !entries.any { it.startsWith('dev/tempora/devserver/') || it.startsWith('com/amazonaws/services/dynamodbv2/local/') } : 'the bundle holds the embedded stack'

// Both test classes ran and passed (surefire reports), the embedded-stack one included.
['app/target/surefire-reports/TEST-com.example.greetings.GreetingWorkflowTest.xml',
 'app/target/surefire-reports/TEST-com.example.greetings.GreetingWorkflowOnEmbeddedAwsTest.xml'].each {
  File report = new File(project, it)
  assert report.isFile() : "no test report ${it}"
  def suite = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report).documentElement
  def count = { String name -> suite.getAttribute(name).toInteger() }
  assert count('tests') > 0 && count('failures') == 0 && count('errors') == 0 && count('skipped') == 0 :
      "${it}: ${count('tests')} tests, ${count('failures')} failures, ${count('errors')} errors, ${count('skipped')} skipped"
}
// The CDK app compiled, its test too (the test synthesizes the stack with cdk-nag; it runs in this
// acceptance test with -Dstarter.it.tests='*', about a minute more).
assert new File(project, 'cdk/target/classes/com/example/greetings/cdk/WorkflowsApp.class').isFile() : 'the CDK app did not compile'
assert new File(project, 'cdk/target/test-classes/com/example/greetings/cdk/WorkflowsAppTest.class').isFile() : "the CDK app's test did not compile"

// dependency:tree: no examples module anywhere, no logging binding in compile scope, and none that
// Tempora brings (a binding may only be one the project declares itself, at depth one).
def bindings = ~/(slf4j-simple|logback-classic|slf4j-reload4j|slf4j-log4j12|slf4j-jdk14|log4j-slf4j2?-impl|slf4j-nop)/
['app', 'cdk'].each { module ->
  File tree = new File(project, "${module}/target/dependency-tree.txt")
  assert tree.isFile() : "no dependency tree for ${module}"
  tree.readLines().drop(1).each { line ->
    assert !line.contains('tempora-examples') : "${module}: the examples module is on the classpath: ${line}"
    if (line =~ bindings) {
      assert !line.endsWith(':compile') : "${module}: a logging binding in compile scope: ${line}"
      assert line ==~ /^[+\\]- .*/ : "${module}: a logging binding brought transitively: ${line}"
    }
  }
}

// The generated sources use the public API only.
def internalImports = []
project.eachFileRecurse(groovy.io.FileType.FILES) { f ->
  if (f.name.endsWith('.java') && f.text.contains('dev.tempora.internal')) internalImports << f
}
assert internalImports.isEmpty() : "sources importing dev.tempora.internal: ${internalImports}"

println "starter acceptance: bundle ${bundle.length().intdiv(1024 * 1024)} MB, tests passed in memory and on the embedded AWS stack, CDK app compiled; no examples, no logging binding from Tempora, no internal imports"
return true
